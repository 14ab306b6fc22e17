#!/usr/bin/env python3
"""The model's own best replies, picked by raters: sheets and selection.

  self-rated.py sheets SEED OUTDIR PER SAMPLED.jsonl [SAMPLED.jsonl ...]
      `purrd dataset sample` output as rating sheets of PER prompts each
      (OUTDIR/sheet-K.md), every prompt with its context and the model's
      replies under letters shuffled per prompt, and the key
      (OUTDIR/key.json, not for raters).
  self-rated.py select OUTDIR BRAIN RATINGS.json [RATINGS.json ...] > ratings.json
      RATINGS are {"K-N": {"A": [score, "why"], ..., "best": "A" | null}}
      (sheet K, prompt N). Each prompt whose rater scored its best reply 2
      gives that reply, as a ratings file (daemon/ratings, version 1) whose
      exchanges `purrd ratings -file ratings.json -conv DIR` writes as
      training conversations: the same path as an owner's ratings.

  self-rated.py export OUTDIR BRAIN RATINGS.json [RATINGS.json ...] > rated.jsonl
      every rated prompt as one line: the prompt, the brain, and each of
      the model's replies with its score and the rater's reason, and the
      rater's best (training/rated/rated.jsonl: preference data for later
      runs; it must stay disjoint from the eval like the training set).

  self-rated.py pairs RATED.jsonl OUTDIR
      preference pairs from training/rated/rated.jsonl: for each prompt
      with a reply rated 0, the best reply (rated 2, else the first rated
      1) as OUTDIR/chosen.json and that 0 as OUTDIR/rejected.json, both
      ratings files whose reply_ids (pairNNN) match, so `purrd ratings
      -file … -conv DIR -min 0` writes the two sides as conversations
      with the same ids. Prompts with a written reply are left to
      `pairs --written`.
  self-rated.py pairs --over-ok RATED.jsonl OUTDIR
      the same for delight: for each prompt with a reply rated 2 and one
      rated 1, the best against the first 1 (ids delightNNN).
  self-rated.py pairs --over-each-ok RATED.jsonl OUTDIR
      the same, the best against every different reply rated 1, one pair
      each (ids delightNNN-K): a prompt with one delightful reply and
      three plain ones teaches the difference three times.
  self-rated.py write-sheets SEED OUTDIR PER RATED.jsonl [RATED.jsonl ...]
      the rated prompts none of whose replies a rater scored 2 but one
      scored 1, as writing sheets (OUTDIR/write-K.md): each prompt with
      its context and the model's replies, their scores and reasons; a
      writer gives the one reply a delightful cat would have said
      ({"K-N": "reply"}). Key in OUTDIR/key.json.
  self-rated.py write-sheets --zeros SEED OUTDIR PER RATED.jsonl [RATED.jsonl ...]
      the same for the prompts all of whose replies were scored 0.
  self-rated.py written OUTDIR RATED.jsonl WRITTEN.json [WRITTEN.json ...] > rated.jsonl
      RATED.jsonl again, each prompt on the writing sheets with its
      written reply ("written"): the chosen side of `pairs --written`.
  self-rated.py pairs --written RATED.jsonl OUTDIR
      for each prompt with a written reply, that reply against the first
      one the model wrote that was rated 0, or if none was, the first
      rated 1 (ids writtenNNN): one pair a prompt, what the model said
      beside what it could have said.
  self-rated.py prompts CONTEXTS.jsonl OUT.jsonl [OUT.jsonl ...]
      the contexts `scripts/phrase-contexts.go contexts` made, as the
      prompts `purrd dataset sample -prompts` reads, dealt in turn into
      the OUT files (one a core).
  self-rated.py candidates CONTEXTS.jsonl SAMPLED.jsonl [SAMPLED.jsonl ...] > CANDIDATES.jsonl
      the stock-phrase round: `purrd dataset sample -prompts` output for
      the prompts `scripts/phrase-contexts.go contexts` made (each
      SAMPLED file for every other line of CONTEXTS, in turn: the way two
      cores split it), each record with the reply the model gave in the
      run put first among the sampled ones (ids r25:CONV#TURN), ready
      for `sheets`.
  self-rated.py pairs --phrase RATED.jsonl PHRASES.jsonl CANDIDATES.jsonl OUTDIR
      pairs against stock phrases (ids phraseNNN-K): PHRASES is
      `phrase-contexts.go check CANDIDATES.jsonl`. For each prompt, the
      best-rated reply that says no phrase of the cat's two replies
      before it again, and is more than a sound ("喵！"), if it is rated
      1 or 2, against every reply that does say one again and is rated no
      better: the model taught, where it said its stock line, what else
      it said there that a rater found as good.
  self-rated.py pairs --phrase-broken RATED.jsonl PHRASES.jsonl CANDIDATES.jsonl OUTDIR
      the same prompts' broken replies: where one reply is rated 0 and
      one that says no phrase again (and is more than a sound) is rated 1
      or 2, the best of the latter against every reply rated 0 (ids
      brokenNNN-K), so what is taught away from the broken is not the
      stock line.
  self-rated.py all RATED.jsonl OUT.json
      every rated reply as a ratings file, reply_id pNNN-K (prompt NNN,
      reply K), for training/trainer/rerank.py: which ranking of a
      prompt's replies picks the one the raters liked best.

Scale: 0 = broken (an owner would say so), 1 = ok, 2 = delightful.
"""
import json
import os
import random
import re
import sys

LETTERS = "ABCDEFGH"


def prompt_lines(ident, r):
    """A rated prompt as a sheet shows it: id and language, the cat and
    its mood, the facts, the earlier turns and the owner's line."""
    out = [f"## {ident} ({'English' if r['lang'] == 'en' else 'Chinese'})\n"]
    ctx = [f"The cat is called {r.get('pet') or 'Mochi'}; its mood: {r['mood']}."]
    if r.get("facts"):
        ctx.append("The owner told it before: " + " / ".join(r["facts"]))
    out.append(" ".join(ctx) + "\n")
    for t in r.get("before") or []:
        out.append(f"{'Owner' if t['role'] == 'owner' else 'Cat'}: {t['text']}  ")
    out.append(f"Owner: **{r['owner']}**\n")
    return out


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False, indent=1)


def write_sides(outdir, chosen, rejected):
    """The two sides of preference pairs as ratings files whose reply_ids match."""
    os.makedirs(outdir, exist_ok=True)
    for name, side in (("chosen", chosen), ("rejected", rejected)):
        write_json(os.path.join(outdir, name + ".json"), {"version": 1, "ratings": side})


def load_answers(outdir, files, what):
    """A sheet set's key and the answers to it (merged from files); every
    prompt of the key must have one."""
    key = json.load(open(os.path.join(outdir, "key.json"), encoding="utf-8"))
    got = {}
    for f in files:
        got.update(json.load(open(f, encoding="utf-8")))
    missing = sorted(set(key) - set(got))
    if missing:
        sys.exit(f"self-rated: {len(missing)} prompts have no {what}, e.g. {missing[:5]}")
    return key, got


def rating(row, reply_id, reply, score, brain):
    """One rating of a ratings file (daemon/ratings, version 1): the
    prompt's context, the reply and its score. A ratings file keeps at
    most 4 earlier turns (ratings.MaxBefore)."""
    at = "2026-11-30T00:00:00Z"
    rec = {"reply_id": reply_id, "at": at, "owner": row["owner"], "reply": reply, "lang": row["lang"], "brain": brain,
           "pet": row.get("pet", ""), "mood": row["mood"], "score": score, "rated_at": at}
    if row.get("facts"):
        rec["facts"] = row["facts"]
    if row.get("before"):
        rec["before"] = row["before"][-4:]
    return rec


def sheets(seed, outdir, per, files):
    rows = []
    for f in files:
        rows += [json.loads(l) for l in open(f, encoding="utf-8") if l.strip()]
    rows = [r for r in rows if r["replies"]]
    rng = random.Random(int(seed))
    rng.shuffle(rows)
    os.makedirs(outdir, exist_ok=True)
    key = {}
    for k in range(0, len(rows), int(per)):
        sheet = k // int(per) + 1
        out = [f"# Rating sheet {sheet}\n\nRate every reply 0 = broken (an owner would say so), 1 = ok, "
               "2 = delightful (a cat you would want to talk to).\n"]
        for n, r in enumerate(rows[k:k + int(per)], 1):
            ident = f"{sheet}-{n}"
            replies = list(r["replies"])
            rng.shuffle(replies)
            key[ident] = {"row": r, "letters": dict(zip(LETTERS, replies))}
            out += prompt_lines(ident, r)
            for letter, reply in zip(LETTERS, replies):
                out.append(f"- {letter}: {reply}")
            out.append("")
        with open(os.path.join(outdir, f"sheet-{sheet}.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    write_json(os.path.join(outdir, "key.json"), key)
    print(f"{len(rows)} prompts in {(len(rows) + int(per) - 1) // int(per)} sheets in {outdir}", file=sys.stderr)


def select(outdir, brain, rating_files):
    key, ratings = load_answers(outdir, rating_files, "rating")
    out, counts, scores = [], [0, 0, 0], []
    for ident in sorted(key, key=lambda s: tuple(int(x) for x in s.split("-"))):
        k, r = key[ident], ratings[ident]
        for letter in k["letters"]:
            s = r[letter][0]
            counts[s] += 1
            scores.append(s)
        best = r.get("best")
        if not best or best not in k["letters"] or r[best][0] != 2:
            continue
        rec = rating(k["row"], f"sample-{ident}-{best}", k["letters"][best], 2, brain)
        rec["note"] = r[best][1][:280]
        out.append(rec)
    json.dump({"version": 1, "ratings": out}, sys.stdout, ensure_ascii=False, indent=1)
    print(f"{len(key)} prompts, {sum(counts)} replies rated 0/1/2: {counts} (mean {sum(scores) / len(scores):.2f}); "
          f"{len(out)} prompts have a best reply rated 2", file=sys.stderr)


def export(outdir, brain, rating_files):
    key, ratings = load_answers(outdir, rating_files, "rating")
    for ident in sorted(key, key=lambda s: tuple(int(x) for x in s.split("-"))):
        k, r = key[ident], ratings[ident]
        row = k["row"]
        rec = {"id": row["id"], "lang": row["lang"], "pet": row.get("pet", ""), "mood": row["mood"],
               "facts": row.get("facts") or [], "before": row.get("before") or [], "owner": row["owner"], "brain": brain,
               "replies": [{"text": text, "score": r[letter][0], "why": r[letter][1]} for letter, text in k["letters"].items()],
               "best": k["letters"][r["best"]] if r.get("best") in k["letters"] and r[r["best"]][0] == 2 else None}
        print(json.dumps(rec, ensure_ascii=False))


def pairs(rated, outdir, over_ok=False, each=False):
    rows = [json.loads(l) for l in open(rated, encoding="utf-8") if l.strip()]
    chosen, rejected, n = [], [], 0
    for r in rows:
        zeros = [x for x in r["replies"] if x["score"] == 0]
        ones = [x for x in r["replies"] if x["score"] == 1]
        if over_ok:
            # What raises the mean is more delightful replies: the best
            # against an ok one, not only against a broken one.
            if not r["best"] or not ones:
                continue
            n += 1
            if not each:
                chosen.append(rating(r, f"delight{n:03d}", r["best"], 2, r["brain"]))
                rejected.append(rating(r, f"delight{n:03d}", ones[0]["text"], 1, r["brain"]))
                continue
            texts = list(dict.fromkeys(x["text"] for x in ones if x["text"] != r["best"]))
            for k, text in enumerate(texts, 1):
                chosen.append(rating(r, f"delight{n:03d}-{k}", r["best"], 2, r["brain"]))
                rejected.append(rating(r, f"delight{n:03d}-{k}", text, 1, r["brain"]))
            continue
        # A prompt with a written reply gets its pair from `pairs --written`.
        if not zeros or not (r["best"] or ones) or r.get("written"):
            continue
        n += 1
        good, score = (r["best"], 2) if r["best"] else (ones[0]["text"], 1)
        chosen.append(rating(r, f"pair{n:03d}", good, score, r["brain"]))
        rejected.append(rating(r, f"pair{n:03d}", zeros[0]["text"], 0, r["brain"]))
    write_sides(outdir, chosen, rejected)
    print(f"{len(chosen)} pairs ({n} prompts) from {len(rows)} prompts in {outdir}", file=sys.stderr)


def prompts(contexts, outs):
    ctx = [json.loads(l) for l in open(contexts, encoding="utf-8") if l.strip()]
    files = [open(o, "w", encoding="utf-8") for o in outs]
    for i, c in enumerate(ctx):
        files[i % len(files)].write(json.dumps({k: c[k] for k in ("lang", "mood", "pet", "facts", "before", "owner")},
                                               ensure_ascii=False) + "\n")
    for f in files:
        f.close()


def candidates(contexts, sampled):
    ctx = [json.loads(l) for l in open(contexts, encoding="utf-8") if l.strip()]
    for k, path in enumerate(sampled):
        for l in open(path, encoding="utf-8"):
            r = json.loads(l)
            n = int(r["id"].rsplit(":", 1)[1])
            c = ctx[len(sampled) * (n - 1) + k]
            if c["owner"] != r["owner"]:
                sys.exit(f"self-rated: {path}:{n} asks {r['owner']!r}, {contexts} has {c['owner']!r} there")
            r["id"] = "r25:" + c["id"]
            r["replies"] = list(dict.fromkeys([c["original"]] + r["replies"]))
            print(json.dumps(r, ensure_ascii=False))


def substantial(text, lang):
    """More than a cat's sound: three Han characters, or three words,
    besides the meows and purrs."""
    if lang == "zh":
        return len(re.findall(r"[\u4e00-\u9fff]", re.sub(r"喵|呜|咪|呼噜|嗷|咕", "", text))) >= 3
    return len(re.findall(r"[A-Za-z']+", re.sub(r"(?i)\b(mrr+p|meow|prr+|purr+|mew|mrow)\b", "", text))) >= 3


def phrase_pairs(rated, phrases, cands, outdir, broken=False):
    rows = [json.loads(l) for l in open(rated, encoding="utf-8") if l.strip()]
    said = {}
    for l in open(phrases, encoding="utf-8"):
        x = json.loads(l)
        said[x["id"]] = x["phrases"]
    order = {}
    for l in open(cands, encoding="utf-8"):
        c = json.loads(l)
        order[c["id"]] = c["replies"]
    chosen, rejected, n = [], [], 0
    for r in rows:
        again = dict(zip(order[r["id"]], said[r["id"]]))
        fresh = [x for x in r["replies"] if not again[x["text"]] and substantial(x["text"], r["lang"])]
        fresh.sort(key=lambda x: (-x["score"], x["text"] != r["best"]))
        if not fresh or fresh[0]["score"] < 1:
            continue
        if broken:
            worse = [x for x in r["replies"] if x["score"] == 0]
        else:
            worse = [x for x in r["replies"] if again[x["text"]] and x["score"] <= fresh[0]["score"]]
        if not worse:
            continue
        n += 1
        name = "broken" if broken else "phrase"
        for k, x in enumerate(worse, 1):
            chosen.append(rating(r, f"{name}{n:03d}-{k}", fresh[0]["text"], fresh[0]["score"], r["brain"]))
            rejected.append(rating(r, f"{name}{n:03d}-{k}", x["text"], x["score"], r["brain"]))
    write_sides(outdir, chosen, rejected)
    print(f"{len(chosen)} pairs ({n} prompts) from {len(rows)} prompts in {outdir}", file=sys.stderr)


def write_sheets(seed, outdir, per, files, zeros=False):
    rows = []
    for f in files:
        rows += [json.loads(l) for l in open(f, encoding="utf-8") if l.strip()]
    top = 0 if zeros else 1
    rows = [r for r in rows if r["replies"] and not r["best"] and max(x["score"] for x in r["replies"]) == top]
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        sys.exit("self-rated: the rated files share prompt ids; write sheets for one round at a time")
    rng = random.Random(int(seed))
    rng.shuffle(rows)
    os.makedirs(outdir, exist_ok=True)
    key = {}
    for k in range(0, len(rows), int(per)):
        sheet = k // int(per) + 1
        out = [f"# Writing sheet {sheet}\n"]
        for n, r in enumerate(rows[k:k + int(per)], 1):
            ident = f"{sheet}-{n}"
            key[ident] = r
            out += prompt_lines(ident, r)
            out.append("What the model said (rating, reason):\n")
            for x in r["replies"]:
                out.append(f"- {x['text']} ({x['score']}, {x['why']})")
            out.append("")
        with open(os.path.join(outdir, f"write-{sheet}.md"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    write_json(os.path.join(outdir, "key.json"), key)
    print(f"{len(rows)} prompts in {(len(rows) + int(per) - 1) // int(per)} writing sheets in {outdir}", file=sys.stderr)


def written(outdir, rated, files):
    key, got = load_answers(outdir, files, "written reply")
    unknown = sorted(set(got) - set(key))
    if unknown:
        sys.exit(f"self-rated: {len(unknown)} written replies are for prompts not on {outdir}'s sheets, e.g. {unknown[:5]}")
    by_id = {}
    for ident, row in key.items():
        text = got[ident].strip() if isinstance(got[ident], str) else ""
        if not text:
            sys.exit(f"self-rated: {ident}: the written reply is not a non-empty string")
        if any(text.casefold() == x["text"].strip().casefold() for x in row["replies"]):
            print(f"self-rated: {ident}: the written reply is one of the model's; it pairs with the others", file=sys.stderr)
        by_id[row["id"]] = (text, row)
    n = 0
    for line in open(rated, encoding="utf-8"):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["id"] in by_id:
            text, sheet_row = by_id.pop(row["id"])
            prompt = ("lang", "mood", "pet", "facts", "before", "owner")
            if any(row.get(f) != sheet_row.get(f) for f in prompt):
                sys.exit(f"self-rated: {row['id']} in {rated} is not the prompt of the writing sheet with that id")
            row["written"] = text
            n += 1
        print(json.dumps(row, ensure_ascii=False))
    if by_id:
        sys.exit(f"self-rated: {len(by_id)} written replies match no prompt of {rated}, e.g. {sorted(by_id)[:3]}")
    print(f"{n} written replies in {rated}'s prompts", file=sys.stderr)


def written_pairs(path, outdir):
    rows = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    chosen, rejected = [], []
    for r in rows:
        if not r.get("written"):
            continue
        worse = [x for s in (0, 1) for x in r["replies"] if x["score"] == s and x["text"] != r["written"]]
        if not worse:
            continue
        n = len(chosen) + 1
        chosen.append(rating(r, f"written{n:03d}", r["written"], 2, r["brain"]))
        rejected.append(rating(r, f"written{n:03d}", worse[0]["text"], worse[0]["score"], r["brain"]))
    write_sides(outdir, chosen, rejected)
    print(f"{len(chosen)} pairs from the written replies of {path} in {outdir}", file=sys.stderr)


def every_reply(rated, out):
    rows = [json.loads(l) for l in open(rated, encoding="utf-8") if l.strip()]
    side = [rating(r, f"p{n:03d}-{k}", x["text"], x["score"], r["brain"])
            for n, r in enumerate(rows, 1) for k, x in enumerate(r["replies"])]
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"version": 1, "ratings": side}, f, ensure_ascii=False, indent=1)
    print(f"{len(side)} rated replies of {len(rows)} prompts in {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "sheets":
        sheets(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) == 4 and sys.argv[1] == "all":
        every_reply(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 4 and sys.argv[1] == "prompts":
        prompts(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) >= 4 and sys.argv[1] == "candidates":
        candidates(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) == 7 and sys.argv[1:3] == ["pairs", "--phrase"]:
        phrase_pairs(sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6])
    elif len(sys.argv) == 7 and sys.argv[1:3] == ["pairs", "--phrase-broken"]:
        phrase_pairs(sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], broken=True)
    elif len(sys.argv) == 4 and sys.argv[1] == "pairs":
        pairs(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1:3] == ["pairs", "--over-ok"]:
        pairs(sys.argv[3], sys.argv[4], over_ok=True)
    elif len(sys.argv) == 5 and sys.argv[1:3] == ["pairs", "--written"]:
        written_pairs(sys.argv[3], sys.argv[4])
    elif len(sys.argv) >= 7 and sys.argv[1:3] == ["write-sheets", "--zeros"]:
        write_sheets(sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:], zeros=True)
    elif len(sys.argv) >= 6 and sys.argv[1] == "write-sheets":
        write_sheets(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif len(sys.argv) >= 5 and sys.argv[1] == "written":
        written(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1:3] == ["pairs", "--over-each-ok"]:
        pairs(sys.argv[3], sys.argv[4], over_ok=True, each=True)
    elif len(sys.argv) >= 5 and sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) >= 5 and sys.argv[1] == "select":
        select(sys.argv[2], sys.argv[3], sys.argv[4:])
    else:
        sys.exit(__doc__)
