"""How far apart two or more adapters put the model's next word.

    python training/trainer/compare.py --base BASE.gguf --data EXPORT.jsonl \
        FIRST.lora.gguf OTHER.lora.gguf [MORE.lora.gguf ...] [--out REPORT.json]

Each adapter is applied to the base as the engine applies it (the GGUF's
own F16 numbers), and the exported conversations (`purrd dataset export
-model BASE`) are read through each; at every token that carries loss
(the cat's words) the report gives, for FIRST against each OTHER:

- kl: the mean KL divergence KL(FIRST || OTHER) of the next-token
  distributions, in nats per token (the temperature-1 distributions,
  before the sampling chain);
- top1: the share of tokens whose likeliest next token is the same;
- dlogp: the mean absolute change in the log p of the word actually
  there.

Replies sampled from two adapters part as soon as one draw falls
differently, and at temperature 0.5 a change of a few parts in a
thousand is enough to part most replies somewhere: the eval's replies
cannot tell a negligible change from a real one, so this measures the
distributions themselves. An adapter compared with itself gives 0, 1
and 0; a change the eval has rated (another training pass) is the
scale to read the rest against.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import torch
import torch.nn.functional as F

import adapter_gguf
import data
import gguf_model
import train


def apply(base_path, adapter):
    """The base model with the adapter's LoRA in it, for inference."""
    lm = gguf_model.load(base_path)
    try:
        alpha, rank, targets, layers, weights, _ = adapter_gguf.read_for(adapter, lm, base_path)
        return train.with_lora(lm.model, rank, alpha, targets, layers, weights, adapter).base_model.model
    except ValueError as err:
        raise SystemExit(f"compare: {err}")


def log_probs(model, batch):
    """log softmax of the next-token logits at the batch's loss positions."""
    ids, attn, rows, cols, _ = batch
    h = model.model(input_ids=ids, attention_mask=attn).last_hidden_state
    logits = model.lm_head(h[rows, cols]).float()
    cap = getattr(model.config, "final_logit_softcapping", None)
    if cap:
        logits = torch.tanh(logits / cap) * cap
    return F.log_softmax(logits, dim=-1)


def compare(base_path, data_path, adapters, threads=2, max_len=384):
    torch.set_num_threads(threads)
    models = [apply(base_path, a) for a in adapters]
    cfg = models[0].config
    examples = data.load_jsonl(data_path, cfg.vocab_size, max_len)
    if not examples:
        raise SystemExit(f"compare: {data_path}: no examples")
    pad = cfg.pad_token_id or 0
    sums = [{"kl": 0.0, "top1": 0, "dlogp": 0.0} for _ in adapters[1:]]
    n = 0
    with torch.no_grad():
        for k in range(0, len(examples), 8):
            batch = data.collate(examples, list(range(k, min(k + 8, len(examples)))), pad)
            targets = batch[4]
            first = log_probs(models[0], batch)
            p = first.exp()
            for s, m in zip(sums, models[1:]):
                other = log_probs(m, batch)
                s["kl"] += float((p * (first - other)).sum())
                s["top1"] += int((first.argmax(-1) == other.argmax(-1)).sum())
                s["dlogp"] += float((first.gather(1, targets[:, None]) - other.gather(1, targets[:, None])).abs().sum())
            n += len(targets)
            print(f"compare: {min(k + 8, len(examples))}/{len(examples)}", file=sys.stderr, flush=True)
    return {"base_sha256": gguf_model.sha256_file(base_path), "data_sha256": gguf_model.sha256_file(data_path),
            "examples": len(examples), "tokens": n, "first": os.path.basename(adapters[0]),
            "first_sha256": gguf_model.sha256_file(adapters[0]),
            "against": [{"adapter": os.path.basename(a), "sha256": gguf_model.sha256_file(a), "kl": s["kl"] / n,
                         "top1": s["top1"] / n, "dlogp": s["dlogp"] / n} for a, s in zip(adapters[1:], sums)]}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="the base model GGUF the adapters were made for")
    p.add_argument("--data", required=True, help="purrd dataset export -model BASE of some conversations")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--max-len", type=int, default=384)
    p.add_argument("--out", default="", help="also write the report here")
    p.add_argument("adapters", nargs="+", help="FIRST.lora.gguf, then each adapter to compare with it")
    a = p.parse_args(argv)
    if len(a.adapters) < 2:
        raise SystemExit("compare: want two adapters or more")
    r = compare(a.base, a.data, a.adapters, a.threads, a.max_len)
    for o in r["against"]:
        print(f"compare: {r['first']} against {o['adapter']}: KL {o['kl']:.2e} nats a token, "
              f"same likeliest token {100 * o['top1']:.2f} %, |dlog p| {o['dlogp']:.2e} ({r['tokens']} tokens)")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(r, f, indent=2, sort_keys=True)
            f.write("\n")
    return r


if __name__ == "__main__":
    main()
