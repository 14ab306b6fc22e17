"""Averages LoRA adapters of one base exactly: a weight-space mean.

    python training/trainer/merge.py --base BASE.gguf --out MERGED.lora.gguf [--manifest MANIFEST.json] \
        A.lora.gguf:0.5 B.lora.gguf:0.5
    python training/trainer/merge.py --base BASE.gguf --out B.lora.gguf --take 1 \
        --source-manifest B.MANIFEST.json MERGED.lora.gguf

llama.cpp applies an adapter as W x + (alpha / r) * B (A x). The merge
stacks the sources' ranks: A_m = [A_1; A_2; ...], B_m = [w_1 s_1 / s_m B_1,
w_2 s_2 / s_m B_2, ...], with s_i = alpha_i / r_i and s_m = alpha_m / r_m,
so B_m A_m s_m = sum_i w_i s_i B_i A_i: the weighted mean of the sources'
weight changes, with no truncation. The price is the rank (and the file):
the sum of the sources'.

Averaging two fine-tunes of one start (a "model soup", Wortsman et al.,
2022) often keeps what each learnt and loses some of what each got
wrong; docs/models.md has what it did for the cat. The sources must
adapt the same tensors of the base given (its architecture, and its
sha256 where a source recorded the one it was trained on); the merged
file is written and shape-checked by adapter_gguf.write, like train.py's,
and records the base and each source's sha256 and weight
(purrd.train.merge_sources). --manifest writes the same as JSON beside
it, in the fields of train.py's MANIFEST.json that describe a file
(adapter_file, adapter_sha256, base_sha256, lora_rank, ...) and
merge_sources, each source named by its adapter's sha256, which is the
adapter_sha256 of the manifest its training run wrote.

--rank R then keeps the R strongest directions of each merged change (a
truncated SVD, the closest rank-R matrix by Eckart-Young). Sources that
went on from one start share most of their directions: the soup of four
the cat shipped on 2026-12-02 stacked rank 64, but its changes lose
1.5e-5 of their squared norm at rank 16. Rank is what the engine pays
for at every token (two more matrix products per adapted tensor), so the
smaller file is also the quicker one. The manifest and the file record
the rank before and the share of the change's squared norm lost, over
all tensors and in the worst one. A truncated merge is no longer the
stack of its sources, so --take refuses it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import gguf
import numpy as np

import adapter_gguf
import gguf_model

# The merged tensors' type: the sources' F16 weights lose nothing in it.
ADAPTER_TYPE = "f16"


def read(path):
    """An adapter's architecture, scale, rank, recorded base sha256 and
    name -> (A, B), as adapter_gguf.read_pairs checks and gives them."""
    try:
        arch, alpha, rank, pairs, meta = adapter_gguf.read_pairs(path)
    except ValueError as err:
        raise SystemExit(f"merge: {err}")
    return {"arch": arch, "scale": alpha / rank, "rank": rank, "base_sha256": meta.get("base_sha256"), "pairs": pairs}


def truncate(pairs, rank):
    """Each (A, B) of pairs (A r x in, B out x r) as the rank-`rank` pair
    whose B A is the closest to the given B A, split evenly between the
    two (sqrt of the singular values on each side, so neither side's
    values get large for F16). B A itself is never formed: with B = Qb Rb
    and A^T = Qa Ra, B A = Qb (Rb Ra^T) Qa^T, and the r x r core is what
    is decomposed. Returns the pairs and the share of the summed squared
    norm of every B A lost, overall and in the worst tensor."""
    out, lost, total, worst = {}, 0.0, 0.0, 0.0
    for name, (a, b) in pairs.items():
        if rank >= a.shape[0]:
            raise SystemExit(f"merge: --rank {rank} is not below the merge's rank {a.shape[0]}")
        qb, rb = np.linalg.qr(b.astype(np.float64))
        qa, ra = np.linalg.qr(a.astype(np.float64).T)
        u, sv, vt = np.linalg.svd(rb @ ra.T)
        root = np.sqrt(sv[:rank])
        out[name] = ((root[:, None] * (vt[:rank] @ qa.T)).astype(np.float32),
                     ((qb @ u[:, :rank]) * root[None, :]).astype(np.float32))
        energy = float(np.sum(sv ** 2))
        tail = float(np.sum(sv[rank:] ** 2))
        lost, total = lost + tail, total + energy
        worst = max(worst, tail / energy if energy else 0.0)
    return out, (lost / total if total else 0.0), worst


def merge(base, sources, out, commit="", rank_to=0):
    """sources: [(path, weight)]. Writes out through adapter_gguf.write,
    which checks every pair against the base as llama.cpp's loader does;
    returns the manifest of what it wrote. rank_to > 0 truncates the
    merge to that rank (truncate)."""
    if len(sources) < 2:
        raise SystemExit("merge: want two adapters or more")
    base_reader = gguf.GGUFReader(base)
    arch = gguf_model.field(base_reader, "general.architecture")
    base_sha = gguf_model.sha256_file(base)
    read_ = [(p, w, read(p)) for p, w in sources]
    first = read_[0][2]
    for p, _, a in read_:
        if a["arch"] != arch:
            raise SystemExit(f"merge: {p}: architecture {a['arch']}, the base {base} is {arch}")
        if a["base_sha256"] and a["base_sha256"] != base_sha:
            raise SystemExit(f"merge: {p}: trained on base {a['base_sha256'][:12]}, {base} is {base_sha[:12]}")
        if set(a["pairs"]) != set(first["pairs"]):
            diff = sorted(set(a["pairs"]) ^ set(first["pairs"]))
            raise SystemExit(f"merge: {p}: adapts other tensors than {read_[0][0]} ({diff[:3]} …)")
    rank = sum(a["rank"] for _, _, a in read_)
    scale = first["scale"]  # the merged alpha keeps the first source's scale
    pairs = {}
    for name in sorted(first["pairs"]):
        pairs[name] = (np.concatenate([a["pairs"][name][0] for _, _, a in read_], axis=0),
                       np.concatenate([a["pairs"][name][1] * (w * a["scale"] / scale) for _, w, a in read_], axis=1))
    truncated = None
    if rank_to > 0:
        pairs, lost, worst = truncate(pairs, rank_to)
        truncated = {"rank_before": rank, "lost": lost, "lost_worst_tensor": worst}
        rank = rank_to
    shapes = {t.name: [int(x) for x in t.shape] for t in base_reader.tensors}
    merged = [{"file": os.path.basename(p), "sha256": gguf_model.sha256_file(p), "weight": w} for p, w, _ in read_]
    meta = {"name": "purrd cat LoRA (merged)", "base_file": os.path.basename(base), "base_sha256": base_sha,
            "merge_sources": json.dumps(merged)}
    if truncated:
        meta["merge_truncated"] = json.dumps(truncated, sort_keys=True)
    try:
        adapter_gguf.write(out, arch, scale * rank, pairs, shapes, meta, ADAPTER_TYPE)
    except ValueError as err:
        raise SystemExit(f"merge: {err}")
    return {"name": meta["name"], "adapter_file": os.path.basename(out), "adapter_sha256": gguf_model.sha256_file(out),
            "adapter_bytes": os.path.getsize(out), "adapter_tensor_type": ADAPTER_TYPE, "architecture": arch,
            "base_file": meta["base_file"], "base_sha256": base_sha, "lora_rank": rank, "lora_alpha": scale * rank,
            "merge_sources": merged, "git_commit": gguf_model.git_commit(commit),
            **({"merge_truncated": truncated} if truncated else {})}


# The manifest fields that describe a file rather than the run that made
# it: train.py writes the others into the adapter's purrd.train.* keys.
FILE_FIELDS = {"hyper_parameters", "adapter_file", "adapter_sha256", "adapter_bytes", "adapter_tensor_type",
               "lora_alpha", "lora_rank", "architecture"}


def take(base, merged, k, source_manifest, out):
    """Source k of a merge, written back out as train.py wrote it: its
    ranks of A as stacked, its B scaled back by the weight, and its run's
    metadata from the manifest train.py wrote beside it. A run whose own
    file was not kept can so go on (train.py --init-from) from the
    shipped merge. F16 keeps B exactly except where the weight pushed a
    value below F16's normal range: there the last bit is lost, so the
    file's sha256 can differ from the manifest's. Returns the sha256
    written."""
    arch, alpha, rank, pairs, meta = adapter_gguf.read_pairs(merged)
    sources = json.loads(meta.get("merge_sources") or "[]")
    if meta.get("merge_truncated"):
        raise SystemExit(f"merge: {merged} was truncated to rank {rank} (--rank): its sources cannot be taken back "
                         "out of it; take them from the merge before truncation")
    if not 0 <= k < len(sources):
        raise SystemExit(f"merge: {merged} merges {len(sources)} adapters; there is no source {k}")
    with open(source_manifest, encoding="utf-8") as f:
        m = json.load(f)
    if m.get("adapter_sha256") != sources[k]["sha256"]:
        raise SystemExit(f"merge: {source_manifest} describes {str(m.get('adapter_sha256'))[:12]}, "
                         f"source {k} of {merged} is {sources[k]['sha256'][:12]}")
    r = m["lora_rank"]
    if r * len(sources) != rank:
        raise SystemExit(f"merge: {merged} has rank {rank} from {len(sources)} sources; "
                         f"taking one back out needs them of one rank ({source_manifest}: {r})")
    factor = np.float32(sources[k]["weight"] * (m["lora_alpha"] / r) / (alpha / rank))
    got = {n: (a[k * r:(k + 1) * r, :], b[:, k * r:(k + 1) * r] / factor) for n, (a, b) in pairs.items()}
    run = {key: v for key, v in m.items() if key not in FILE_FIELDS}
    run["hyper_parameters"] = json.dumps(m["hyper_parameters"], sort_keys=True)
    shapes = {t.name: [int(x) for x in t.shape] for t in gguf.GGUFReader(base).tensors}
    try:
        adapter_gguf.write(out, arch, m["lora_alpha"], got, shapes, run, m["adapter_tensor_type"])
    except ValueError as err:
        raise SystemExit(f"merge: {err}")
    return gguf_model.sha256_file(out)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="the base model GGUF the adapters were trained on")
    p.add_argument("--out", required=True, help="the merged adapter GGUF")
    p.add_argument("--manifest", help="also write what was merged, as JSON, here")
    p.add_argument("--git-commit", default="", help="the commit to record (default: git describe --dirty of HEAD)")
    p.add_argument("--take", type=int, default=-1,
                   help="instead of merging, write source K (from 0) of the one merged adapter given back out")
    p.add_argument("--source-manifest", help="with --take: the MANIFEST.json train.py wrote for that source")
    p.add_argument("--rank", type=int, default=0,
                   help="keep only the R strongest directions of each merged change (truncated SVD); 0: the summed rank")
    p.add_argument("sources", nargs="+", help="ADAPTER.gguf:WEIGHT (weights need not sum to 1); no weights: equal ones")
    a = p.parse_args(argv)
    if a.take >= 0:
        if len(a.sources) != 1 or not a.source_manifest:
            raise SystemExit("merge: --take K wants one merged adapter and --source-manifest")
        got = take(a.base, a.sources[0], a.take, a.source_manifest, a.out)
        with open(a.source_manifest, encoding="utf-8") as f:
            want = json.load(f)["adapter_sha256"]
        print(f"merge: wrote {a.out} (sha256 {got}), source {a.take} of {a.sources[0]}"
              + ("" if got == want else f"; the run wrote {want}: values below F16's normal range lost a bit"))
        return 0
    sources = []
    for s in a.sources:
        path, sep, weight = s.rpartition(":")
        try:
            sources.append((path, float(weight)) if sep else (s, None))
        except ValueError:
            raise SystemExit(f"merge: {s}: want ADAPTER.gguf:WEIGHT")
    if any(w is None for _, w in sources):
        sources = [(p, 1.0 / len(sources)) for p, _ in sources]
    if a.rank < 0:
        raise SystemExit(f"merge: --rank {a.rank}: want 0 (no truncation) or more")
    m = merge(a.base, sources, a.out, a.git_commit, a.rank)
    if a.manifest:
        with open(a.manifest, "w", encoding="utf-8") as f:
            json.dump(m, f, indent=2, sort_keys=True)
            f.write("\n")
    t = m.get("merge_truncated")
    print(f"merge: wrote {a.out} (rank {m['lora_rank']}" + (f", truncated from {t['rank_before']}, {t['lost']:.2e} of the "
          f"change's squared norm lost, {t['lost_worst_tensor']:.2e} in the worst tensor" if t else "") + ") from "
          + ", ".join(f"{p} x {w:g}" for p, w in sources))


if __name__ == "__main__":
    sys.exit(main())
