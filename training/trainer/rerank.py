"""Which ranking of several replies picks the one raters liked best?

Best of several replies (docs/models.md) ranks a turn's candidates by

    (log p(reply | conversation) - specificity * log p(reply | nothing said)) / tokens

and says the highest; over the whole reply (no division) is the
alternative measured here too.
A blind sitting judges that on 25 turns; the rated replies of
training/rated (several replies per prompt, each scored 0-2 side by side
by raters) judge it on hundreds. This scores every rated reply under a
model and adapter (the trainer's float32 copy of the GGUF with a
train.py checkpoint's LoRA, or with an adapter GGUF's: the shipped
file's F16 numbers the engine applies) and reports, for each
specificity, the mean rating of the reply each ranking would pick,
beside a random pick (the mean of all) and the raters' own best (the
mean of each prompt's top). --features also keeps what a learnt ranking
would need (rankstudy.py reads it).

  rerank.py --base GGUF (--checkpoint CKPT | --adapter GGUF) --data EXPORT.jsonl --conv DIR
            [--out REPORT.json] [--features FEATURES.npz]

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

import adapter_gguf
import data
import gguf_model
import preference
import train

HEADER = re.compile(r"^== rated (\d): ([^,\s]+)")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True)
    w = p.add_mutually_exclusive_group(required=True)
    w.add_argument("--checkpoint", help="train.py checkpoint.pt whose LoRA weights to apply")
    w.add_argument("--adapter", help="a LoRA adapter GGUF to apply (the shipped file: the weights the engine runs)")
    p.add_argument("--data", required=True, help="purrd dataset export of --conv")
    p.add_argument("--conv", required=True, help="the folder of rated conversations that was exported")
    p.add_argument("--specificity", default="0,0.25,0.5,0.75,1,1.5")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-len", type=int, default=384)
    p.add_argument("--out", default="")
    p.add_argument("--features", default="",
                   help="also write every reply's hidden state (mean over its tokens, the conversation before "
                        "it) and log p without the owner's last line to this .npz, for a learnt ranking")
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


def line_start(ids, at: int, floor: int, nl) -> int:
    """Where the line holding position at begins: after the newline
    before it, or at floor."""
    while at > floor and ids[at - 1] != nl:
        at -= 1
    return at


def spliced(e, keep: int, gen: int, start: int) -> data.Example:
    """e's tokens up to keep, then from gen on (the pet's turn opening and
    its last reply, which alone carries the loss from start)."""
    new = e.ids[:keep] + e.ids[gen:]
    reply = len(e.ids) - start
    return data.Example(id=e.id, ids=new, mask=(0,) * (len(new) - reply) + (1,) * reply)


def neutral(e, start: int, para, nl) -> data.Example:
    """e's last reply after the persona paragraph and the pet's turn
    opened at once: the tokens up to the paragraph break, then the last
    line's opening (from the last newline before the reply)."""
    cut = persona_end(e, start, para, nl)
    return spliced(e, cut, line_start(e.ids, start, cut, nl), start)


def without_last_owner_line(e, start: int, para, nl) -> data.Example:
    """e's last reply after the conversation less the owner's last line:
    how likely the reply is whatever the owner just said. The line ends at
    the newline before the pet's turn opens; it starts after the newline
    (or the persona's paragraph break) before that."""
    cut = persona_end(e, start, para, nl)
    gen = line_start(e.ids, start, cut, nl)
    owner = line_start(e.ids, gen - 1, cut, nl)
    if owner >= gen - 1:
        raise SystemExit(f"rerank: {e.id}: no owner line before the reply")
    return spliced(e, owner, gen, start)


def last_reply_only(e, start: int) -> data.Example:
    return data.Example(id=e.id, ids=e.ids, mask=(0,) * start + (1,) * (len(e.ids) - start))


def pick_report(rows: list, specs: list) -> dict:
    """rows: (group, rating, lp, prior, tokens). The mean rating picked per
    specificity, per token ("picked", the brain's ranking) and over the
    whole reply ("picked_whole", the alternative), the random and the best
    pick."""
    groups = {}
    for r in rows:
        groups.setdefault(r[0], []).append(r)
    groups = {g: rs for g, rs in groups.items() if len(rs) > 1}
    # random: what a pick at random gives on average, each prompt's mean.
    rep = {"prompts": len(groups), "replies": sum(len(rs) for rs in groups.values()),
           "random": sum(sum(r[1] for r in rs) / len(rs) for rs in groups.values()) / max(1, len(groups)),
           "best": sum(max(r[1] for r in rs) for rs in groups.values()) / max(1, len(groups)), "picked": {}}
    rep["picked_whole"] = {}
    for s in specs:
        picked = [max(rs, key=lambda r: (r[2] - s * r[3]) / max(1, r[4]))[1] for rs in groups.values()]
        rep["picked"][str(s)] = sum(picked) / max(1, len(picked))
        # The alternative: the whole reply's log p, not per token.
        picked = [max(rs, key=lambda r: r[2] - s * r[3])[1] for rs in groups.values()]
        rep["picked_whole"][str(s)] = sum(picked) / max(1, len(picked))
    return rep


def main(argv=None):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)

    lm = gguf_model.load(a.base)
    model = lm.model
    if a.checkpoint:
        ck = torch.load(a.checkpoint, weights_only=False)
        want = ck["fingerprint"].get("base_sha256", "")
        if want and gguf_model.sha256_file(a.base) != want:
            raise SystemExit(f"rerank: --base {a.base} is not the model --checkpoint {a.checkpoint} was trained on "
                             f"(sha256 {want[:12]})")
        hyper = ck["fingerprint"]["hyper"]
        rank, alpha, targets, layers = hyper["rank"], hyper["alpha"], hyper["targets"], hyper.get("layers", "")
        weights = ck["lora"]
    else:
        try:
            alpha, rank, targets, layers, weights, _ = adapter_gguf.read_for(a.adapter, lm, a.base)
        except ValueError as err:
            raise SystemExit(f"rerank: --adapter {a.adapter}: {err}")
    source = a.checkpoint or a.adapter
    try:
        pmodel = train.with_lora(model, rank, alpha, targets, layers, weights, source)
    except ValueError as err:
        raise SystemExit(f"rerank: {err}")
    base = pmodel.base_model.model
    softcap = getattr(model.config, "final_logit_softcapping", None)
    pad_id = model.config.pad_token_id or 0

    def token_loss(batch):
        return train.masked_loss(base.model, base.lm_head, softcap, batch, reduction="none")

    def logp_and_state(examples_):
        """Each example's summed log p of its loss tokens (seq_logps), and
        the mean of the final hidden states at the positions that predict
        them, from the same forward pass."""
        kept = {}

        def loss_keeping_states(batch):
            loss, kept["at"] = train.masked_loss(base.model, base.lm_head, softcap, batch, reduction="none",
                                                 states=True)
            kept["rows"] = batch[2]
            return loss

        lp, _, _ = preference.seq_logps(loss_keeping_states, examples_, pad_id)
        at, rows_ = kept["at"].float(), kept["rows"]
        count = torch.bincount(rows_, minlength=len(examples_)).clamp(min=1)
        return lp, torch.zeros(len(examples_), at.shape[1]).index_add(0, rows_, at) / count[:, None]

    rated = ratings_by_id(a.conv)
    examples = data.load_jsonl(a.data, model.config.vocab_size, a.max_len)
    missing = [e.id for e in examples if e.id not in rated]
    if missing or not examples:
        raise SystemExit(f"rerank: {len(missing)} of {len(examples)} exported conversations have no rating header "
                         f"in {a.conv} (e.g. {missing[:1]}): export that very folder")
    nl = token_id(lm.tokens, "\n")
    para, nl = token_id(lm.tokens, "\n\n"), token_id(lm.tokens, "<0x0A>") if nl is None else nl
    rows, per_lang, states, unprompted = [], {}, [], []
    with torch.no_grad():
        for k in range(0, len(examples), 8):
            chunk = examples[k:k + 8]
            starts = [preference.last_reply_start(e) for e in chunk]
            conv = [last_reply_only(e, s) for e, s in zip(chunk, starts)]
            nothing = [neutral(e, s, para, nl) for e, s in zip(chunk, starts)]
            if a.features:
                lp, state = logp_and_state(conv)
                states.append(state)
                unsaid = [without_last_owner_line(e, s, para, nl) for e, s in zip(chunk, starts)]
                unprompted.extend(float(x) for x in preference.seq_logps(token_loss, unsaid, pad_id)[0])
            else:
                lp, _, _ = preference.seq_logps(token_loss, conv, pad_id)
            prior, _, _ = preference.seq_logps(token_loss, nothing, pad_id)
            for i, e in enumerate(chunk):
                group, rating = rated[e.id]
                row = (group, rating, float(lp[i]), float(prior[i]), len(e.ids) - starts[i])
                rows.append(row)
                per_lang.setdefault(e.id.split(".")[1], []).append(row)
            print(f"rerank: {min(k + 8, len(examples))}/{len(examples)}", file=sys.stderr, flush=True)
    specs = [float(s) for s in a.specificity.split(",")]
    report = {"all": pick_report(rows, specs), "weights": os.path.basename(source),
              "weights_sha256": gguf_model.sha256_file(source), "data_sha256": gguf_model.sha256_file(a.data)}
    for lang, rs in sorted(per_lang.items()):
        report[lang] = pick_report(rs, specs)
    # Every reply's figures, so another ranking can be tried without
    # scoring again: prompt, rating, log p(conversation), log p(nothing), tokens.
    report["rows"] = rows
    for name in ["all"] + sorted(per_lang):
        r = report[name]
        picks = "  ".join(f"s={s}: {v:.2f}" for s, v in r["picked"].items())
        whole = "  ".join(f"s={s}: {v:.2f}" for s, v in r["picked_whole"].items())
        print(f"{name}: {r['prompts']} prompts, {r['replies']} replies; random {r['random']:.2f}, "
              f"raters' best {r['best']:.2f}; picked per token {picks}; whole reply {whole}")
    if a.features:
        import numpy as np
        np.savez_compressed(a.features, state=torch.cat(states).numpy(), unprompted=np.array(unprompted),
                            rating=np.array([r[1] for r in rows]), lp=np.array([r[2] for r in rows]),
                            prior=np.array([r[3] for r in rows]), tokens=np.array([r[4] for r in rows]),
                            group=np.array([r[0] for r in rows]), id=np.array([e.id for e in examples]))
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, sort_keys=True)
            f.write("\n")
    return report


if __name__ == "__main__":
    main()
