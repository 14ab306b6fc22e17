"""Which ranking of several replies picks the one raters liked best?

Best of several replies (docs/models.md) ranks a turn's candidates by

    (log p(reply | conversation) - specificity * log p(reply | nothing said)) / tokens

and says the highest. A blind sitting judges that on 25 turns; the rated
replies of training/rated (several replies per prompt, each scored 0-2
side by side by raters) judge it on hundreds. This scores every rated
reply under a model and adapter (the trainer's float32 copy of the GGUF
and a train.py checkpoint) and reports, for each specificity, the mean
rating of the reply the ranking would pick, beside a random pick (the
mean of all) and the raters' own best (the mean of each prompt's top).

  rerank.py --base GGUF --checkpoint CKPT --data EXPORT.jsonl --conv DIR [--out REPORT.json]

EXPORT.jsonl is `purrd dataset export -data DIR` of DIR, the rated
replies as conversations (`purrd ratings -file ALL.json -conv DIR -min 0`
from `scripts/self-rated.py all`): each conversation's header,
"== rated S: GROUP-K, date", gives its rating S and its prompt GROUP.

"Nothing said" is the brain's: the persona paragraph, then the pet's turn
opened at once (its name and mood), no memory and no owner words.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys

import torch

import data
import gguf_model
import preference
import train

HEADER = re.compile(r"^== rated (\d): ([^,\s]+)")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    p.add_argument("--checkpoint", required=True, help="train.py checkpoint.pt whose LoRA weights to apply")
    p.add_argument("--data", required=True, help="purrd dataset export of --conv")
    p.add_argument("--conv", required=True, help="the folder of rated conversations that was exported")
    p.add_argument("--specificity", default="0,0.25,0.5,0.75,1,1.5")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-len", type=int, default=384)
    p.add_argument("--out", default="")
    return p.parse_args(argv)


def ratings_by_id(conv_dir: str) -> dict:
    """export id (file:line#0) -> (group, rating), from the headers."""
    out = {}
    for name in sorted(os.listdir(conv_dir)):
        if not name.endswith(".conv"):
            continue
        with open(os.path.join(conv_dir, name), encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = HEADER.match(line)
                if m:
                    out[f"{name}:{lineno}#0"] = (m.group(2).rsplit("-", 1)[0], int(m.group(1)))
    return out


def token_id(tokens: list, text: str):
    try:
        return tokens.index(text)
    except ValueError:
        return None


def persona_end(e, start: int, para, nl) -> int:
    """Where the persona paragraph ends: after the first paragraph break
    (one "\n\n" token, or two "\n") before the reply. The plain prompt
    format (a base model's, so the cat adapter's) has one; a chat
    template's has not, and its "nothing said" is not made here."""
    ids = e.ids
    for i in range(1, start):
        if ids[i] == para:
            return i + 1
        if nl is not None and ids[i] == nl and i + 1 < start and ids[i + 1] == nl:
            return i + 2
    raise SystemExit(f"rerank: {e.id}: no paragraph break after the persona: rerank.py reads the plain prompt "
                     f"format (a base model's)")


def neutral(e, start: int, para, nl) -> data.Example:
    """e's last reply after the persona paragraph and the pet's turn
    opened at once: the tokens up to the paragraph break, then the last
    line's opening (from the last newline before the reply)."""
    ids = e.ids
    cut = persona_end(e, start, para, nl)
    gen = start
    while gen > cut and ids[gen - 1] != nl:
        gen -= 1
    new = ids[:cut] + ids[gen:]
    return data.Example(id=e.id, ids=new, mask=(0,) * (len(new) - (len(ids) - start)) + (1,) * (len(ids) - start))


def last_reply_only(e, start: int) -> data.Example:
    return data.Example(id=e.id, ids=e.ids, mask=(0,) * start + (1,) * (len(e.ids) - start))


def pick_report(rows: list, specs: list) -> dict:
    """rows: (group, rating, lp, prior, tokens). The mean rating picked per
    specificity, the random and the best pick, per language too."""
    groups = {}
    for r in rows:
        groups.setdefault(r[0], []).append(r)
    groups = {g: rs for g, rs in groups.items() if len(rs) > 1}
    # random: what a pick at random gives on average, each prompt's mean.
    rep = {"prompts": len(groups), "replies": sum(len(rs) for rs in groups.values()),
           "random": sum(sum(r[1] for r in rs) / len(rs) for rs in groups.values()) / max(1, len(groups)),
           "best": sum(max(r[1] for r in rs) for rs in groups.values()) / max(1, len(groups)), "picked": {}}
    for s in specs:
        picked = [max(rs, key=lambda r: (r[2] - s * r[3]) / max(1, r[4]))[1] for rs in groups.values()]
        rep["picked"][str(s)] = sum(picked) / max(1, len(picked))
    return rep


def main(argv=None):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    import peft

    ck = torch.load(a.checkpoint, weights_only=False)
    want = ck["fingerprint"].get("base_sha256", "")
    if want and gguf_model.sha256_file(a.base) != want:
        raise SystemExit(f"rerank: --base {a.base} is not the model --checkpoint {a.checkpoint} was trained on "
                         f"(sha256 {want[:12]})")
    lm = gguf_model.load(a.base)
    model = lm.model
    hyper = ck["fingerprint"]["hyper"]
    pmodel = peft.get_peft_model(model, train.lora_config(peft, hyper["rank"], hyper["alpha"], 0.0, hyper["targets"],
                                                          hyper.get("layers", "")))
    own = dict(pmodel.named_parameters())
    with torch.no_grad():
        for n, t in ck["lora"].items():
            if n not in own or own[n].shape != t.shape:
                raise SystemExit(f"rerank: --checkpoint {a.checkpoint}: {n} does not fit this model")
            own[n].copy_(t)
    pmodel.eval()
    base = pmodel.base_model.model
    softcap = getattr(model.config, "final_logit_softcapping", None)
    pad_id = model.config.pad_token_id or 0

    def token_loss(batch):
        return train.masked_loss(base.model, base.lm_head, softcap, batch, reduction="none")

    rated = ratings_by_id(a.conv)
    examples = data.load_jsonl(a.data, model.config.vocab_size, a.max_len)
    missing = [e.id for e in examples if e.id not in rated]
    if missing or not examples:
        raise SystemExit(f"rerank: {len(missing)} of {len(examples)} exported conversations have no rating header "
                         f"in {a.conv} (e.g. {missing[:1]}): export that very folder")
    nl = token_id(lm.tokens, "\n")
    para, nl = token_id(lm.tokens, "\n\n"), token_id(lm.tokens, "<0x0A>") if nl is None else nl
    rows, per_lang = [], {}
    with torch.no_grad():
        for k in range(0, len(examples), 8):
            chunk = examples[k:k + 8]
            starts = [preference.last_reply_start(e) for e in chunk]
            conv = [last_reply_only(e, s) for e, s in zip(chunk, starts)]
            nothing = [neutral(e, s, para, nl) for e, s in zip(chunk, starts)]
            lp, _, _ = preference.seq_logps(token_loss, conv, pad_id)
            prior, _, _ = preference.seq_logps(token_loss, nothing, pad_id)
            for i, e in enumerate(chunk):
                group, rating = rated[e.id]
                row = (group, rating, float(lp[i]), float(prior[i]), len(e.ids) - starts[i])
                rows.append(row)
                per_lang.setdefault(e.id.split(".")[1], []).append(row)
            print(f"rerank: {min(k + 8, len(examples))}/{len(examples)}", file=sys.stderr, flush=True)
    specs = [float(s) for s in a.specificity.split(",")]
    report = {"all": pick_report(rows, specs), "checkpoint": os.path.basename(a.checkpoint),
              "checkpoint_sha256": gguf_model.sha256_file(a.checkpoint), "data_sha256": gguf_model.sha256_file(a.data)}
    for lang, rs in sorted(per_lang.items()):
        report[lang] = pick_report(rs, specs)
    # Every reply's figures, so another ranking can be tried without
    # scoring again: prompt, rating, log p(conversation), log p(nothing), tokens.
    report["rows"] = rows
    for name in ["all"] + sorted(per_lang):
        r = report[name]
        picks = "  ".join(f"s={s}: {v:.2f}" for s, v in r["picked"].items())
        print(f"{name}: {r['prompts']} prompts, {r['replies']} replies; random {r['random']:.2f}, "
              f"raters' best {r['best']:.2f}; picked {picks}")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, sort_keys=True)
            f.write("\n")
    return report


if __name__ == "__main__":
    main()
