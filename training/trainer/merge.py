"""Averages LoRA adapters of one base exactly: a weight-space mean.

    python training/trainer/merge.py --out MERGED.lora.gguf A.lora.gguf:0.5 B.lora.gguf:0.5

llama.cpp applies an adapter as W x + (alpha / r) * B (A x). The merge
stacks the sources' ranks: A_m = [A_1; A_2; ...], B_m = [w_1 s_1 / s_m B_1,
w_2 s_2 / s_m B_2, ...], with s_i = alpha_i / r_i and s_m = alpha_m / r_m,
so B_m A_m s_m = sum_i w_i s_i B_i A_i: the weighted mean of the sources'
weight changes, with no truncation. The price is the rank (and the file):
the sum of the sources'.

Averaging two fine-tunes of one start (a "model soup", Wortsman et al.,
2022) often keeps what each learnt and loses some of what each got
wrong; docs/models.md has what it did for the cat. The sources must
adapt the same tensors of the same base (architecture and, when both
record it, base sha256); the merged file records each source's sha256
and weight (purrd.merge.sources).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import numpy as np
import gguf


def field(r, key):
    f = r.fields.get(key)
    return None if f is None else f.contents()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read(path):
    """An adapter's architecture, scale, base sha256 and name -> (A, B)."""
    r = gguf.GGUFReader(path)
    if field(r, "general.type") != "adapter" or field(r, "adapter.type") != "lora":
        raise SystemExit(f"merge: {path}: not a LoRA adapter GGUF (general.type {field(r, 'general.type')!r})")
    alpha = field(r, "adapter.lora.alpha")
    tensors = {t.name: np.asarray(t.data, dtype=np.float32) for t in r.tensors}
    pairs = {}
    for name in tensors:
        if name.endswith(".lora_a"):
            w = name[: -len(".lora_a")]
            if w + ".lora_b" not in tensors:
                raise SystemExit(f"merge: {path}: {name} has no lora_b beside it")
            pairs[w] = (tensors[name], tensors[w + ".lora_b"])
    if not pairs:
        raise SystemExit(f"merge: {path}: no LoRA tensor pairs")
    ranks = {a.shape[0] for a, _ in pairs.values()}
    if len(ranks) != 1:
        raise SystemExit(f"merge: {path}: tensors of several ranks {sorted(ranks)}")
    rank = ranks.pop()
    return {"arch": field(r, "general.architecture"), "scale": float(alpha) / rank, "rank": rank,
            "base_sha256": field(r, "purrd.train.base_sha256"), "base_file": field(r, "purrd.train.base_file"),
            "pairs": pairs}


def merge(sources, out):
    """sources: [(path, weight)]. Writes out; returns the merged rank."""
    if len(sources) < 2:
        raise SystemExit("merge: want two adapters or more")
    read_ = [(p, w, read(p)) for p, w in sources]
    first = read_[0][2]
    for p, _, a in read_[1:]:
        if a["arch"] != first["arch"]:
            raise SystemExit(f"merge: {p}: architecture {a['arch']}, {read_[0][0]} has {first['arch']}")
        if a["base_sha256"] and first["base_sha256"] and a["base_sha256"] != first["base_sha256"]:
            raise SystemExit(f"merge: {p}: trained on base {a['base_sha256'][:12]}, {read_[0][0]} on {first['base_sha256'][:12]}")
        if set(a["pairs"]) != set(first["pairs"]):
            diff = sorted(set(a["pairs"]) ^ set(first["pairs"]))
            raise SystemExit(f"merge: {p}: adapts other tensors than {read_[0][0]} ({diff[:3]} …)")
    rank = sum(a["rank"] for _, _, a in read_)
    scale = first["scale"]  # the merged alpha keeps the first source's scale
    w = gguf.GGUFWriter(out, first["arch"])
    w.add_type("adapter")
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", scale * rank)
    w.add_name("purrd cat LoRA (merged)")
    if first["base_sha256"]:
        w.add_string("purrd.train.base_sha256", first["base_sha256"])
        w.add_string("purrd.train.base_file", first["base_file"] or "")
    w.add_string("purrd.merge.sources", json.dumps(
        [{"file": p.rsplit("/", 1)[-1], "sha256": sha256(p), "weight": wt} for p, wt, _ in read_]))
    for name in sorted(first["pairs"]):
        a_m = np.concatenate([a["pairs"][name][0] for _, _, a in read_], axis=0)
        b_m = np.concatenate([a["pairs"][name][1] * (wt * a["scale"] / scale) for _, wt, a in read_], axis=1)
        w.add_tensor(name + ".lora_a", a_m.astype(np.float16))
        w.add_tensor(name + ".lora_b", b_m.astype(np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return rank


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="the merged adapter GGUF")
    p.add_argument("sources", nargs="+", help="ADAPTER.gguf:WEIGHT (weights need not sum to 1)")
    a = p.parse_args(argv)
    sources = []
    for s in a.sources:
        path, sep, weight = s.rpartition(":")
        try:
            sources.append((path, float(weight)) if sep else (s, None))
        except ValueError:
            raise SystemExit(f"merge: {s}: want ADAPTER.gguf:WEIGHT")
    if any(w is None for _, w in sources):
        sources = [(p, 1.0 / len(sources)) for p, _ in sources]
    rank = merge(sources, a.out)
    print(f"merge: wrote {a.out} (rank {rank}) from " + ", ".join(f"{p} x {w:g}" for p, w in sources))


if __name__ == "__main__":
    sys.exit(main())
