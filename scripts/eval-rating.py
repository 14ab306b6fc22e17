#!/usr/bin/env python3
"""A person's rating of an eval transcript, reproducibly sampled.

  eval-rating.py --set DIR COMMAND ...
      any command below, with the owner's words from the *.conv files of
      DIR (a set played with `purrd eval -set DIR`) instead of set v1.

  eval-rating.py talks [--differ] SEED DIR K/N NAME=SUMMARY.json NAME=SUMMARY.json ...
      a blind sheet of whole conversations (DIR/sheet.md, sheet-key.json):
      part K/N of the runs' conversations (with --differ, of those where
      the runs said something different), each in every run's version
      under shuffled letters, every reply rated where the owner hears it.
      Rated like a versus sheet; `sides DIR NAME NAME` gives the figure
      (`sides DIR,DIR,... NAME NAME` pools several sheets).
  eval-rating.py ceiling DIR [DIR ...]
      how high choosing among the model's own replies could lift the
      rating: over the talks sheets DIR (sheet.md, sheet-key.json,
      rater*.json), each reply the model itself said (its brain "llama"
      in a run beside the sheets, SET/*/summary.json) rated by the
      raters' mean, the same words at the same turn of a conversation
      rated in several sheets pooled; at every turn with 4 or more
      different such replies, the mean rating of the best of n of them
      (every n-subset), n = 1..4, per language.
  eval-rating.py sample SUMMARY.json > SAMPLE.jsonl
      25 turns of a `purrd eval` run, the n*turns/25-th result each, with
      the owner's words from the set (dialog/eval/sets/v1).
  eval-rating.py write SAMPLE.jsonl OUT.md TITLE "r1 ... r25" "why1|...|why25"
      the ratings file: one row a turn, the mean at the end.
  eval-rating.py blind [--offset K] SEED DIR SUMMARY.json SUMMARY.json ...
      a blind sheet for comparing runs in one sitting: the 25 sampled
      turns, each with every run's reply under a letter shuffled per turn
      (DIR/sheet.md), and which letter is which run (DIR/key.json, for
      the rater not to read). The runs must have the same turns. With
      --offset K the (n*turns/25 + K)-th results instead: another 25
      turns of the same runs, none shared with offset 0 (K from 0 to
      turns/25 - 1; 0 to 11 for the 322 turns of set v1).
  eval-rating.py blind --late T --part K/N SEED DIR SUMMARY.json ...
      the same, on the late turns only: every result from the T-th turn
      of its conversation on, split into N parts (every N-th such
      result from the K-th, K from 0 to N-1). For what changes only
      there (how much of the talk the prompt holds): the turns before it
      are the same prompts in every run, and rating them measures
      nothing but sampling.
  eval-rating.py blind --only PREFIX SEED DIR SUMMARY.json ...
      every turn of the conversations whose names start with PREFIX
      (harm- for the harmful requests): for what changes only there.
  eval-rating.py record DIR OUT.md TITLE INTRO RATER1.json [RATER2.json ...] "long name|short" ...
      the record of a sitting: each run's mean per rater, every rating
      with the first rater's reason, and the sheet (one label per run,
      in the order the sitting was made).
  eval-rating.py paired [--level P] A B RECORD.md [RECORD.md ...]
      from sittings' records: per sitting and over all of them, the mean
      per turn of (the runs labelled A… minus those labelled B…), each
      run's rating of a turn the raters' mean, with a 95 % bootstrap
      interval over turns (10,000 resamples, seed 1: reproducible), or
      a P % one (a second look at a candidate after more sittings asks
      for a wider interval than the first did).
  eval-rating.py brains [--label L] RECORD.md [RECORD.md ...]
      what answered the rated turns, from sittings' records and the runs
      they name (docs/eval/RUN/summary.json): how many rated replies the
      model wrote, the rules brain after a refused repeat, the rules
      brain otherwise, the care path and the refusal path, with their mean rating, and
      the mean rating of the replies in each language. Each run label is
      matched to its run by its replies on the sheet.
      --label L counts only the runs whose labels start with L (one
      adapter's, when a sitting holds two).
  eval-rating.py sides [--round R] DIR A B
      a sitting of fixed alternatives, not of eval runs (a refusal line
      against the model's replies, a new rules line against the one it
      replaced): DIR/sheet-key.json gives each turn's letters as
      {"1": {"A": side, "B": side, ...}, ...} (other keys are notes),
      DIR/rater*.json the raters' sheets. Prints each side's mean over
      all its rated replies and the mean per turn of (side A minus side
      B), each side's rating of a turn the mean over its letters and the
      raters, with the 95 % interval of `paired`. --round R (2, 3, ...)
      reads sheet-key-R.json and rater*-R.json of a further round.
  eval-rating.py versus SEED DIR MESSAGES.json A=REPLIES.json B=REPLIES.json
      a sheet of fixed alternatives on messages outside the eval set:
      MESSAGES.json is [{"lang": .., "text": ..}, ...], each REPLIES.json
      [[intent, line], ...] in the same order (`go run
      scripts/rules-replies.go`). Every message the two sides answer
      differently goes on DIR/sheet.md, its lines under letters shuffled
      with SEED; DIR/sheet-key.json says which is which, for `sides`.
  eval-rating.py routine SEED DIR WITH.json WITHOUT.json
      a sheet for the rules brain's routine lines (brain.routine): every
      turn where the run WITH them said one (its result has "routine"),
      beside what the run WITHOUT them said there, the owner's words and
      up to three earlier ones from the set, letters shuffled with SEED;
      DIR/sheet-key.json names the sides "routine" and "model", for
      `sides`.
  eval-rating.py unblind DIR RATINGS.json
      RATINGS.json is {"1": {"A": [rating, "why"], ...}, ...}; writes
      DIR/run-K.sample.jsonl and prints, per run, the ratings and reasons
      to give `write`.

Ratings: 0 = broken (an owner would say so), 1 = ok, 2 = delightful.
"""
import glob
import itertools
import json
import os
import re
import statistics
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


def picks(results, offset=0):
    """The indexes of the 25 rated turns: the n*turns/25-th result each,
    or the K-th after it. One sitting rates 25 turns, but rating always
    the same 25 of 322 would make a narrow stick; offsets below the
    stride give disjoint samples of the same runs."""
    step = len(results) / 25.0
    if not 0 <= offset < int(step):
        sys.exit(f"eval-rating: --offset {offset}: want 0 to {int(step) - 1} for {len(results)} turns")
    return [int(i * step) + offset for i in range(25)]


def late_picks(results, first_turn, part, parts):
    """The indexes of the late turns of one part: results from the
    first_turn-th turn of their conversation on, every parts-th from the
    part-th."""
    if not (parts >= 1 and 0 <= part < parts and first_turn >= 1):
        sys.exit(f"eval-rating: --late {first_turn} --part {part}/{parts}: want a turn from 1 and a part from 0 to {parts - 1}")
    late = [i for i, r in enumerate(results) if r["turn"] >= first_turn]
    if len(late) < parts:
        sys.exit(f"eval-rating: --late {first_turn}: {len(late)} late turns, fewer than {parts} parts")
    return late[part::parts]


def row(n, r, owner):
    """One rated turn as a sample line: where it is, who said what."""
    return {"n": n, "conv": r["conv"], "turn": r["turn"], "owner": owner.get((r["conv"], r["turn"]), "?"),
            "reply": r.get("reply", ""), "brain": r.get("brain"), "fallback": r.get("fallback", "")}


def sample(summary):
    owner = owner_lines()
    res = json.load(open(summary, encoding="utf-8"))["results"]
    for n, k in enumerate(picks(res), 1):
        print(json.dumps(row(n, res[k], owner), ensure_ascii=False))


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


# The scale every rating sheet opens with.
SCALE = "Rate every reply 0 = broken (an owner would say so), 1 = ok, 2 = delightful (a cat you would want to talk to)."


def turn_context(owner, conv, turn):
    """A sheet item's owner lines: up to three earlier words of the
    conversation, then the words the replies answer."""
    out = []
    earlier = [owner[(conv, t)] for t in range(max(1, turn - 3), turn) if (conv, t) in owner]
    if earlier:
        out.append("Earlier the owner said: " + " / ".join(earlier) + "\n")
    out.append(f"Owner: {owner.get((conv, turn), '?')}\n")
    return out


def write_sheet(folder, text, key):
    """DIR/sheet.md and DIR/sheet-key.json of a sheet of fixed alternatives."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "sheet.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(folder, "sheet-key.json"), "w", encoding="utf-8") as f:
        json.dump(key, f, ensure_ascii=False, indent=1)
        f.write("\n")


def blind(seed, out, summaries, offset=0, late=None, only=""):
    import random
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    owner = owner_lines()
    runs = [json.load(open(f, encoding="utf-8"))["results"] for f in summaries]
    if len({len(r) for r in runs}) != 1:
        sys.exit("eval-rating: the runs have different numbers of turns: " + ", ".join(str(len(r)) for r in runs))
    key, lines = {"summaries": summaries, "offset": offset, "turns": {}}, ["# Blind rating sheet\n",
        SCALE + "\n"]
    if offset:
        lines[0] = f"# Blind rating sheet (offset {offset})\n"
    chosen = picks(runs[0], offset)
    if only:
        lines[0] = f"# Blind rating sheet (conversations {only}*)\n"
        key["only"] = only
        chosen = [i for i, r in enumerate(runs[0]) if r["conv"].startswith(only)]
        if not chosen:
            sys.exit(f"eval-rating: --only {only}: no conversation's name starts with it")
    if late:
        first, part, parts = late
        lines[0] = f"# Blind rating sheet (late turns {first} on, part {part}/{parts})\n"
        key["late"] = {"first_turn": first, "part": part, "parts": parts}
        chosen = late_picks(runs[0], first, part, parts)
    for i, k in enumerate(chosen):
        r0 = runs[0][k]
        if any((r[k]["conv"], r[k]["turn"]) != (r0["conv"], r0["turn"]) for r in runs):
            sys.exit(f"eval-rating: turn {i+1} differs between runs")
        order = list(range(len(runs)))
        rng.shuffle(order)
        letters = {}
        lines.append(f"## {i+1}. {r0['conv']}, turn {r0['turn']}\n")
        lines += turn_context(owner, r0["conv"], r0["turn"])
        for j, run in enumerate(order):
            letter = "ABCDEFGH"[j]
            letters[letter] = run
            lines.append(f"- {letter}: {runs[run][k].get('reply', '')}")
        lines.append("")
        key["turns"][str(i + 1)] = {"index": k, "letters": letters}
    open(os.path.join(out, "sheet.md"), "w", encoding="utf-8").write("\n".join(lines) + "\n")
    json.dump(key, open(os.path.join(out, "key.json"), "w"), indent=1)


def routine(seed, out, with_routine, without):
    import random
    rng = random.Random(seed)
    owner = owner_lines()
    a = json.load(open(with_routine, encoding="utf-8"))["results"]
    b = json.load(open(without, encoding="utf-8"))["results"]
    if [(r["conv"], r["turn"]) for r in a] != [(r["conv"], r["turn"]) for r in b]:
        sys.exit("eval-rating: routine: the runs have different turns")
    lines = ["# Blind rating sheet\n",
             SCALE + "\n"]
    key, n = {}, 0
    for ra, rb in zip(a, b):
        if not ra.get("routine"):
            continue
        n += 1
        sides = [("routine", ra.get("reply", "")), ("model", rb.get("reply", ""))]
        rng.shuffle(sides)
        key[str(n)] = {"conv": ra["conv"], "turn": ra["turn"], "intent": ra["routine"]}
        lines.append(f"## {n}. {ra['conv']}, turn {ra['turn']}\n")
        lines += turn_context(owner, ra["conv"], ra["turn"])
        for letter, (side, reply) in zip("AB", sides):
            key[str(n)][letter] = side
            lines.append(f"- {letter}: {reply}")
        lines.append("")
    if not n:
        sys.exit(f"eval-rating: routine: no turn of {with_routine} has a routine line")
    write_sheet(out, "\n".join(lines) + "\n", key)
    print(f"{n} routine turns")


def unblind(out, ratings_file):
    key = json.load(open(os.path.join(out, "key.json")))
    ratings = json.load(open(ratings_file, encoding="utf-8"))
    owner = owner_lines()
    runs = [json.load(open(f, encoding="utf-8"))["results"] for f in key["summaries"]]
    per = [[] for _ in runs]
    for n in range(1, len(key["turns"]) + 1):
        t = key["turns"][str(n)]
        for letter, run in t["letters"].items():
            r, why = ratings[str(n)][letter]
            res = runs[run][t["index"]]
            per[run].append((n, res, int(r), why))
    for run, rows in enumerate(per):
        with open(os.path.join(out, f"run-{run}.sample.jsonl"), "w", encoding="utf-8") as f:
            for n, res, _, _ in rows:
                f.write(json.dumps(row(n, res, owner), ensure_ascii=False) + "\n")
        rates = [x for _, _, x, _ in rows]
        print(json.dumps({"run": run, "summary": key["summaries"][run], "mean": sum(rates) / len(rates),
                          "ratings": " ".join(map(str, rates)), "whys": "|".join(w for _, _, _, w in rows)}, ensure_ascii=False))


def record(out_dir, out, title, intro, rater_files, labels):
    """The markdown record of a sitting: each run's mean per rater and its
    broken turns, every rating with the first rater's reason, the sheet."""
    key = json.load(open(os.path.join(out_dir, "key.json")))
    raters = [json.load(open(f, encoding="utf-8")) for f in rater_files]
    labels = [l.split("|") for l in labels]  # "long name|short"
    if len(labels) != len(key["summaries"]):
        sys.exit(f"eval-rating: {len(key['summaries'])} runs in the sitting, {len(labels)} labels")
    heads = " | ".join(f"rater {i + 1}" for i in range(len(raters)))
    o = [f"# {title}\n", intro + "\n", f"| run | {heads} | broken (0) turns, rater 1 |",
         "|---|" + "---|" * len(raters) + "---|"]
    for run, (long, _) in enumerate(labels):
        rates = [[r[n][l][0] for n, t in key["turns"].items() for l, rr in t["letters"].items() if rr == run] for r in raters]
        o.append(f"| {long} | " + " | ".join(f"{sum(x) / len(x):.2f}" for x in rates) + f" | {rates[0].count(0)} |")
    o.append("\n## Ratings, turn by turn (" + " / ".join(f"rater {i + 1}" for i in range(len(raters))) +
             ", with rater 1's reason)\n")
    for n, t in key["turns"].items():
        o.append(f"**{n}.** " + "; ".join(
            f"{l}={labels[run][1]}: " + "/".join(str(r[n][l][0]) for r in raters) + f" ({raters[0][n][l][1]})"
            for l, run in sorted(t["letters"].items())))
        o.append("")
    o.append("\n## The sheet the raters saw\n")
    import re
    sheet = open(os.path.join(out_dir, "sheet.md"), encoding="utf-8").read()
    sheet = re.sub(r"^# Blind rating sheet(?: \(offset (\d+)\))?\n",
                   lambda m: f"At offset {m.group(1)} (`blind --offset {m.group(1)}`).\n" if m.group(1) else "", sheet)
    sheet = re.sub(r"^# Blind rating sheet \(conversations (\S+)\*\)\n",
                   lambda m: f"Every turn of the conversations {m.group(1)}* (`blind --only {m.group(1)}`).\n", sheet)
    sheet = re.sub(r"^# Blind rating sheet \(late turns (\d+) on, part (\d+)/(\d+)\)\n",
                   lambda m: f"Late turns (`blind --late {m.group(1)} --part {m.group(2)}/{m.group(3)}`).\n", sheet)
    o.append(sheet.strip())
    open(out, "w", encoding="utf-8").write("\n".join(o) + "\n")


def record_turns(path):
    """A record's turns: for each, label -> the raters' mean rating."""
    import re
    item = re.compile(r"([A-Z])=([^:;]+): ([0-9/]+) \(")
    turns = []
    for line in open(path, encoding="utf-8"):
        if not re.match(r"\*\*\d+\.\*\* ", line):
            continue
        t = {}
        for _, label, rates in item.findall(line):
            r = [int(x) for x in rates.split("/")]
            t[label] = sum(r) / len(r)
        turns.append(t)
    if not turns:
        sys.exit(f"eval-rating: {path}: no rated turns (lines '**N.** A=label: r/r/r (why); ...')")
    return turns


def diffs(path, a, b):
    out = []
    for n, t in enumerate(record_turns(path), 1):
        xa = [v for k, v in t.items() if k.startswith(a)]
        xb = [v for k, v in t.items() if k.startswith(b)]
        if not xa or not xb:
            sys.exit(f"eval-rating: {path}: turn {n} has no run labelled {a if not xa else b}…")
        out.append(sum(xa) / len(xa) - sum(xb) / len(xb))
    return out


def record_runs(path):
    """A record's short run labels -> the results of the eval run
    (docs/eval/RUN) each rated, one per rated turn in the sheet's order.
    The run is found by the replies the sheet shows for its letters (the
    record names the runs in its table but keys the turns by label), and
    each turn by the conversation and turn its sheet heading names, so
    sheets made with any --offset read the same."""
    import re
    text = open(path, encoding="utf-8").read()
    dirs = re.findall(r"^\| [^|\n]*\(([\w.-]+)\) \|", text, re.M)
    sheet = text.split("## The sheet the raters saw", 1)[-1]
    replies, where = {}, {}  # turn -> letter -> reply; turn -> (conv, turn)
    for n, conv, turn, body in re.findall(r"^## (\d+)\. (.+?), turn (\d+)\n(.*?)(?=^## |\Z)", sheet, re.M | re.S):
        replies[int(n)] = dict(re.findall(r"^- ([A-Z]): (.*)$", body, re.M))
        where[int(n)] = (conv, int(turn))
    if sorted(where) != list(range(1, len(re.findall(r"^## \d+\. ", sheet, re.M)) + 1)) or not where:
        sys.exit(f"eval-rating: {path}: the sheet's turn headings ('## N. conv, turn T') are not numbered 1 to N in full")
    letters = {}  # label -> turn -> letter
    item = re.compile(r"([A-Z])=([^:;]+): ")
    for line in text.splitlines():
        m = re.match(r"\*\*(\d+)\.\*\* ", line)
        if m:
            for letter, label in item.findall(line):
                letters.setdefault(label, {})[int(m.group(1))] = letter
    here = os.path.dirname(os.path.abspath(path))
    runs = {}
    for d in dirs:
        res = json.load(open(os.path.join(here, d, "summary.json"), encoding="utf-8"))["results"]
        at = {(r["conv"], r["turn"]): r for r in res}
        if any(w not in at for w in where.values()):
            sys.exit(f"eval-rating: {path}: run {d} lacks a rated turn")
        runs[d] = [at[where[n]] for n in sorted(where)]
    out = {}
    for label, by_turn in letters.items():
        fits = [d for d, rated in runs.items() if all(
            r.get("reply", "") == replies[n].get(by_turn[n]) for n, r in enumerate(rated, 1) if n in by_turn)]
        if len(set(fits)) != 1:
            sys.exit(f"eval-rating: {path}: label {label} fits runs {fits}, want exactly one")
        out[label] = runs[fits[0]]
    return out


def brains(records, label_prefix=""):
    kinds, langs = {}, {}
    for path in records:
        runs = record_runs(path)
        if not any(label.startswith(label_prefix) for label in runs):
            sys.exit(f"eval-rating: brains: {path} has no run labelled {label_prefix}…")
        for n, t in enumerate(record_turns(path), 1):
            for label, rating in t.items():
                if not label.startswith(label_prefix):
                    continue
                r = runs[label][n - 1]
                fb = r.get("fallback") or ""
                kind = ("care" if r.get("brain") == "care" else "refusal" if r.get("brain") == "refusal" else "model" if not fb
                        else "rules after a refused repeat" if "repeat" in fb else "rules, other fallback")
                kinds.setdefault(kind, []).append(rating)
                langs.setdefault(r.get("lang") or "?", []).append(rating)
    total = sum(len(v) for v in kinds.values())
    for kind, v in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        print(f"{kind}: {len(v)} of {total} rated replies ({100 * len(v) / total:.1f} %), mean rating {sum(v) / len(v):.2f}")
    for lang, v in sorted(langs.items()):
        print(f"replies in {lang}: {len(v)} of {total}, mean rating {sum(v) / len(v):.2f}")


def bootstrap(d, level=95.0):
    import random
    rng = random.Random(1)
    means = sorted(sum(rng.choice(d) for _ in d) / len(d) for _ in range(10000))
    tail = max(1, round(10000 * (100 - level) / 200))
    return sum(d) / len(d), means[tail], means[10000 - tail]


def sides(folders, a, b, round_no=1):
    """The figure of sheets of fixed alternatives: folders is one folder,
    or several joined by commas, whose turns are pooled (each rated by as
    many raters)."""
    suffix = "" if round_no == 1 else f"-{round_no}"
    key, raters = {}, None
    for folder in folders.split(","):
        k = json.load(open(os.path.join(folder, f"sheet-key{suffix}.json"), encoding="utf-8"))
        files = sorted(glob.glob(os.path.join(folder, f"rater[0-9]{suffix}.json")))
        if not files:
            sys.exit(f"eval-rating: sides: no rater[0-9]{suffix}.json in {folder}")
        if raters is None:
            raters = [{} for _ in files]
        if len(files) != len(raters):
            sys.exit(f"eval-rating: sides: {folder} has {len(files)} raters, the first folder {len(raters)}")
        for r, f in zip(raters, files):
            for turn, v in json.load(open(f, encoding="utf-8")).items():
                r[f"{folder}:{turn}"] = v
        for turn, v in k.items():
            key[f"{folder}:{turn}"] = v
    every, d = {a: [], b: []}, []
    for turn, entry in key.items():
        per = {a: [], b: []}
        for letter, side in entry.items():
            if len(letter) != 1 or side not in per:
                continue  # a note (conversation, turn, old line) or a third side
            r = sum(rt[turn][letter][0] for rt in raters) / len(raters)
            per[side].append(r)
            every[side].append(r)
        if not per[a] or not per[b]:
            sys.exit(f"eval-rating: sides: turn {turn} lacks side {a if not per[a] else b}")
        d.append(sum(per[a]) / len(per[a]) - sum(per[b]) / len(per[b]))
    m, lo, hi = bootstrap(d)
    print(f"{a}: {sum(every[a]) / len(every[a]):.2f}, {b}: {sum(every[b]) / len(every[b]):.2f}, "
          f"{a} minus {b} per turn {m:+.2f} (95 % {lo:+.2f} .. {hi:+.2f}), "
          f"better {sum(x > 0 for x in d)}, worse {sum(x < 0 for x in d)}, {len(d)} turns")


def versus(seed, folder, messages, sides_):
    import random
    rng = random.Random(seed)
    msgs = json.load(open(messages, encoding="utf-8"))
    named = []
    for arg in sides_:
        name, _, path = arg.partition("=")
        replies = json.load(open(path, encoding="utf-8"))
        if len(replies) != len(msgs):
            sys.exit(f"eval-rating: versus: {path} has {len(replies)} replies for {len(msgs)} messages")
        named.append((name, replies))
    sheet = ["# Blind rating sheet", "",
             SCALE, ""]
    key, n = {}, 0
    for i, m in enumerate(msgs):
        lines = [(name, r[i][1]) for name, r in named]
        if len({line for _, line in lines}) < 2:
            continue
        n += 1
        rng.shuffle(lines)
        key[str(n)] = {"message": i}
        sheet += [f"## {n}.", "", f"Owner: {m['text']}", ""]
        for letter, (name, line) in zip("ABCDEFGH", lines):
            key[str(n)][letter] = name
            sheet.append(f"- {letter}: {line}")
        sheet.append("")
    write_sheet(folder, "\n".join(sheet), key)
    print(f"{n} of {len(msgs)} messages answered differently")


def talks(seed, folder, part, runs, differ=False):
    """A sheet of whole conversations: each conversation of part K/N of
    the set (every N-th of its conversations, shuffled by seed, from the
    K-th; with differ, of those where the runs said something different)
    as every run played it, the versions under letters shuffled per
    conversation. A reply is rated where the owner hears it, after all the
    cat said before it: what a sheet of single turns cannot show (the
    same words again and again) counts here."""
    import random
    k, _, n = part.partition("/")
    k, n = int(k), int(n or 0)
    if not (n >= 1 and 0 <= k < n):
        sys.exit(f"eval-rating: talks: part {part}: want K/N, K from 0 to N-1")
    owner = owner_lines()
    named = []
    for arg in runs:
        name, _, path = arg.partition("=")
        res = json.load(open(path, encoding="utf-8"))["results"]
        named.append((name, {(r["conv"], r["turn"]): r.get("reply", "") for r in res}))
    convs = sorted({c for c, _ in named[0][1]})
    for name, replies in named[1:]:
        if sorted({c for c, _ in replies}) != convs:
            sys.exit(f"eval-rating: talks: run {name} played other conversations")
    if differ:
        convs = [c for c in convs if any(replies[k] != named[0][1][k] for _, replies in named[1:] for k in replies if k[0] == c)]
    rng = random.Random(seed)
    rng.shuffle(convs)
    chosen = convs[k::n]
    sheet = ["# Blind rating sheet: whole conversations", "",
             "Each conversation below is shown in every version the cat played it (A, B, ...); the owner's words are the same in each. "
             "Rate every one of the cat's replies, in its own version, as the owner hears it at that point of that conversation, "
             "after everything the cat said before it: 0 = broken (an owner would say so), 1 = ok, 2 = delightful (a cat you would want to talk to). "
             "A reply's number [N] is the same in every version.", ""]
    key, item = {}, 0
    for ci, conv in enumerate(chosen, 1):
        turns = sorted(t for c, t in named[0][1] if c == conv)
        order = list(named)
        rng.shuffle(order)
        first = item + 1
        sheet += [f"## Conversation {ci}", ""]
        for letter, (name, replies) in zip("ABCDEFGH", order):
            sheet += [f"### Version {letter}", ""]
            for j, t in enumerate(turns):
                sheet.append(f"- Owner: {owner.get((conv, t), '?')}")
                sheet.append(f"  - [{first + j}] Cat: {replies[(conv, t)]}")
            sheet.append("")
        for j, t in enumerate(turns):
            key[str(first + j)] = {"conv": conv, "turn": t}
            for letter, (name, _) in zip("ABCDEFGH", order):
                key[str(first + j)][letter] = name
        item += len(turns)
    write_sheet(folder, "\n".join(sheet), key)
    print(f"{len(chosen)} conversations, {item} replies in each of {len(named)} versions")


def ceiling(folders):
    brains = {}
    scores = {}  # (conv, turn, reply) -> ratings
    for folder in folders:
        set_dir = os.path.dirname(os.path.normpath(folder))
        if set_dir not in brains:
            brains[set_dir] = {}
            for f in glob.glob(os.path.join(set_dir, "*", "summary.json")):
                for r in json.load(open(f, encoding="utf-8"))["results"]:
                    brains[set_dir][(r["conv"], r["turn"], r["reply"])] = r.get("brain", "")
        files = sorted(glob.glob(os.path.join(folder, "rater[0-9]*.json")))
        if not files:
            continue  # a sheet not rated (yet)
        raters = [json.load(open(f, encoding="utf-8")) for f in files]
        key = json.load(open(os.path.join(folder, "sheet-key.json"), encoding="utf-8"))
        letter, replies = None, {}
        for line in open(os.path.join(folder, "sheet.md"), encoding="utf-8"):
            m = re.match(r"^### Version ([A-H])", line)
            if m:
                letter = m.group(1)
                continue
            m = re.match(r"^\s+- \[(\d+)\] Cat: (.*)", line)
            if m:
                replies[(m.group(1), letter)] = m.group(2).rstrip("\n")
        for (item, letter), reply in replies.items():
            k = key[item]
            if brains[set_dir].get((k["conv"], k["turn"], reply)) != "llama":
                continue
            rs = [r[item][letter][0] for r in raters if letter in r.get(item, {})]
            if rs:
                scores.setdefault((k["conv"], k["turn"], reply), []).append(sum(rs) / len(rs))
    turns = {}
    for (conv, turn, _), rs in scores.items():
        turns.setdefault((conv, turn), []).append(sum(rs) / len(rs))
    for lang in ("en", "zh", "all"):
        groups = [v for (conv, _), v in turns.items() if len(v) >= 4 and (lang == "all" or conv.endswith("-" + lang))]
        best = []
        for n in range(1, 5):
            per = [statistics.mean(max(c) for c in itertools.combinations(v, n)) for v in groups]
            best.append(f"{statistics.mean(per):.2f}")
        print(f"{lang}: {len(groups)} turns, the best of 1, 2, 3, 4 of the model's replies: {', '.join(best)}")


def paired(a, b, records, level=95.0):
    if not 50 <= level <= 99.9:
        sys.exit(f"eval-rating: --level {level:g}: want a percentage from 50 to 99.9 (10,000 resamples)")
    pct = f"{level:g} %"
    every = []
    for path in records:
        d = diffs(path, a, b)
        every += d
        m, lo, hi = bootstrap(d, level)
        print(f"{os.path.basename(path)}: {a} minus {b} {m:+.3f} ({pct} {lo:+.3f} .. {hi:+.3f}), "
              f"better {sum(x > 0 for x in d)}, worse {sum(x < 0 for x in d)}, {len(d)} turns")
    m, lo, hi = bootstrap(every, level)
    print(f"all: {a} minus {b} {m:+.3f} ({pct} {lo:+.3f} .. {hi:+.3f}), "
          f"better {sum(x > 0 for x in every)}, worse {sum(x < 0 for x in every)}, {len(every)} turns")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--set":
        SET_DIR = sys.argv[2]
        del sys.argv[1:3]
    if len(sys.argv) == 3 and sys.argv[1] == "sample":
        sample(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "ceiling":
        ceiling(sys.argv[2:])
    elif len(sys.argv) == 7 and sys.argv[1] == "write":
        write(*sys.argv[2:])
    elif len(sys.argv) >= 9 and sys.argv[1] == "blind" and sys.argv[2] == "--late" and sys.argv[4] == "--part":
        part, _, parts = sys.argv[5].partition("/")
        blind(int(sys.argv[6]), sys.argv[7], sys.argv[8:], late=(int(sys.argv[3]), int(part), int(parts or 0)))
    elif len(sys.argv) >= 7 and sys.argv[1] == "blind" and sys.argv[2] == "--only":
        blind(int(sys.argv[4]), sys.argv[5], sys.argv[6:], only=sys.argv[3])
    elif len(sys.argv) >= 7 and sys.argv[1] == "blind" and sys.argv[2] == "--offset":
        blind(int(sys.argv[4]), sys.argv[5], sys.argv[6:], int(sys.argv[3]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "blind":
        blind(int(sys.argv[2]), sys.argv[3], sys.argv[4:])
    elif len(sys.argv) >= 7 and sys.argv[1] == "paired" and sys.argv[2] == "--level":
        paired(sys.argv[4], sys.argv[5], sys.argv[6:], float(sys.argv[3]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "paired":
        paired(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) >= 5 and sys.argv[1] == "brains" and sys.argv[2] == "--label":
        brains(sys.argv[4:], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "brains" and sys.argv[2] != "--label":
        brains(sys.argv[2:])
    elif len(sys.argv) == 7 and sys.argv[1] == "sides" and sys.argv[2] == "--round":
        sides(sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[3]))
    elif len(sys.argv) == 6 and sys.argv[1] == "routine":
        routine(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5])
    elif len(sys.argv) >= 8 and sys.argv[1] == "talks" and sys.argv[2] == "--differ":
        talks(int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6:], differ=True)
    elif len(sys.argv) >= 7 and sys.argv[1] == "talks":
        talks(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) >= 7 and sys.argv[1] == "versus":
        versus(int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) == 5 and sys.argv[1] == "sides":
        sides(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 4 and sys.argv[1] == "unblind":
        unblind(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 8 and sys.argv[1] == "record":
        files = [a for a in sys.argv[6:] if a.endswith(".json")]
        record(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], files, sys.argv[6 + len(files):])
    else:
        sys.exit(__doc__)
