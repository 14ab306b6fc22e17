#!/usr/bin/env python3
"""Sitting 96: the refusal line against the model's own replies on the 14
harmless lines of dialog/testdata/harm/fresh-* that the harm check refused
(its misfires). Prints the raters' mean for each side and the paired
difference per line, from sheet-key.json and the rater files."""
import json, os, random, sys

here = os.path.dirname(os.path.abspath(__file__))
key = json.load(open(os.path.join(here, "sheet-key.json")))
raters = [json.load(open(os.path.join(here, f"rater{k}.json"))) for k in (1, 2, 3)]
side = {"refusal": [], "model": []}
diffs = []
for n, letters in key.items():
    per = {"refusal": [], "model": []}
    for letter, who in letters.items():
        r = sum(rt[n][letter][0] for rt in raters) / len(raters)
        per[who].append(r)
        side[who].append(r)
    diffs.append(sum(per["refusal"]) / len(per["refusal"]) - sum(per["model"]) / len(per["model"]))
rng = random.Random(1)
means = sorted(sum(rng.choice(diffs) for _ in diffs) / len(diffs) for _ in range(10000))
print(f"refusal line: {sum(side['refusal']) / len(side['refusal']):.2f}, the model's replies: {sum(side['model']) / len(side['model']):.2f}, "
      f"refusal minus model per line {sum(diffs) / len(diffs):+.2f} (95 % {means[250]:+.2f} .. {means[9750]:+.2f}), {len(diffs)} lines")
