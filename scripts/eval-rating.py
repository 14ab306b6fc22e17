#!/usr/bin/env python3
"""A person's rating of an eval transcript, reproducibly sampled.

  eval-rating.py sample SUMMARY.json > SAMPLE.jsonl
      25 turns of a `purrd eval` run, the n*turns/25-th result each, with
      the owner's words from the set (dialog/eval/sets/v1).
  eval-rating.py write SAMPLE.jsonl OUT.md TITLE "r1 ... r25" "why1|...|why25"
      the ratings file: one row a turn, the mean at the end.

Ratings: 0 = broken (an owner would say so), 1 = ok, 2 = delightful.
"""
import glob
import json
import os
import sys

SET_DIR = os.path.join(os.path.dirname(__file__), "..", "dialog", "eval", "sets", "v1")


def owner_lines():
    owner = {}
    for f in sorted(glob.glob(os.path.join(SET_DIR, "*.conv"))):
        cid, n = None, 0
        for line in open(f, encoding="utf-8"):
            if line.startswith("## "):
                cid, n = line[3:].strip(), 0
            elif line.startswith("> ") and cid:
                n += 1
                owner[(cid, n)] = line[2:].rstrip("\n")
    return owner


def sample(summary):
    owner = owner_lines()
    res = json.load(open(summary, encoding="utf-8"))["results"]
    step = len(res) / 25.0
    for i in range(25):
        r = res[int(i * step)]
        print(json.dumps({"n": i + 1, "conv": r["conv"], "turn": r["turn"],
                          "owner": owner.get((r["conv"], r["turn"]), "?"), "reply": r.get("reply", ""),
                          "brain": r.get("brain"), "fallback": r.get("fallback", "")}, ensure_ascii=False))


def write(sample_file, out, title, rates, whys):
    rows = [json.loads(l) for l in open(sample_file, encoding="utf-8")]
    rates = [int(x) for x in rates.split()]
    whys = whys.split("|")
    if not (len(rows) == len(rates) == len(whys) == 25):
        sys.exit(f"eval-rating: want 25 turns, ratings and reasons; got {len(rows)}, {len(rates)}, {len(whys)}")
    esc = lambda s: s.replace("|", "\\|").replace("\n", " ")
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# {title}\n\n")
        f.write("A person's rating of 25 turns of the eval transcript (the pick is fixed: the n·turns/25-th result, "
                "`scripts/eval-rating.py sample summary.json`), 0 = broken (an owner would say so), 1 = ok, "
                "2 = delightful (a cat you would want to talk to). The full transcript is beside this file.\n\n")
        f.write("| # | conversation, turn | owner | reply | brain | rating | why |\n|---|---|---|---|---|---|---|\n")
        for r, x, w in zip(rows, rates, whys):
            f.write(f"| {r['n']} | {r['conv']} {r['turn']} | {esc(r['owner'])} | {esc(r['reply'])} | {r['brain']} | {x} | {esc(w)} |\n")
        f.write(f"\n**Mean: {sum(rates)/25:.2f} / 2** ({sum(rates)} points over 25 turns; "
                f"{rates.count(0)} broken, {rates.count(1)} ok, {rates.count(2)} delightful).\n")
    print(f"{sum(rates)/25:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "sample":
        sample(sys.argv[2])
    elif len(sys.argv) == 7 and sys.argv[1] == "write":
        write(*sys.argv[2:])
    else:
        sys.exit(__doc__)
