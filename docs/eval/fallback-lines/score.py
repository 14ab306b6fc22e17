#!/usr/bin/env python3
"""Scores the fallback-lines sitting: the rules brain's old "unknown
words" lines that put the owner off (sleepy: "tell me after my nap"; any
mood: "I'll think about it in my nap") against the listening lines that
replaced them, on 30 turns where an eval run's rules brain said an old one.

    python3 docs/eval/fallback-lines/score.py      # the first round
    python3 docs/eval/fallback-lines/score.py 2    # the second round (files *-2.*):
                                                   # the deflecting any-mood lines

Each turn's rating is the mean of the three raters; the interval is a
bootstrap over turns (10,000 resamples, seed 1), as eval-rating.py paired.
"""

import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    suffix = "" if len(sys.argv) < 2 or sys.argv[1] == "1" else "-" + sys.argv[1]
    key = json.load(open(os.path.join(HERE, f"sheet-key{suffix}.json"), encoding="utf-8"))
    raters = [json.load(open(os.path.join(HERE, f"rater{i}{suffix}.json"), encoding="utf-8")) for i in (1, 2, 3)]
    old, new, diff = [], [], []
    for turn, k in key.items():
        letter = {k["A"]: "A", k["B"]: "B"}
        o = sum(r[turn][letter["old"]][0] for r in raters) / len(raters)
        n = sum(r[turn][letter["new"]][0] for r in raters) / len(raters)
        old.append(o)
        new.append(n)
        diff.append(n - o)
    rng = random.Random(1)
    means = sorted(sum(rng.choice(diff) for _ in diff) / len(diff) for _ in range(10000))
    m = sum(diff) / len(diff)
    print(f"old lines: {sum(old) / len(old):.2f}, new lines: {sum(new) / len(new):.2f}, "
          f"new minus old per turn {m:+.2f} (95 % {means[250]:+.2f} .. {means[9750]:+.2f}), "
          f"better {sum(d > 0 for d in diff)}, worse {sum(d < 0 for d in diff)}, {len(diff)} turns")


if __name__ == "__main__":
    main()
