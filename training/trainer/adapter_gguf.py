"""Writes a LoRA adapter in the GGUF layout llama.cpp loads.

llama.cpp (src/llama-adapter.cpp, llama_adapter_lora_init_impl) requires
general.type "adapter", adapter.type "lora", general.architecture equal to
the base model's, the float adapter.lora.alpha, and for every adapted base
tensor W (ne = [n_in, n_out]) a pair "<W name>.lora_a" with ne [n_in, r]
and "<W name>.lora_b" with ne [r, n_out]. It applies
W x + (alpha / r) * B (A x), r being lora_b's ne[0]: peft's lora_A.weight
(r x n_in) and lora_B.weight (n_out x r) are exactly those arrays in
row-major order, and peft's scaling is alpha / r too.
"""

from __future__ import annotations

import re

import numpy as np
import gguf
import torch

import gguf_model


def lora_pairs(lm, peft_model) -> dict:
    """GGUF tensor name -> (A, B) float32 numpy arrays in llama.cpp's layout."""
    modules = dict(peft_model.named_modules())
    pairs = {}
    for gname, mpath in sorted(lm.gguf_to_module.items()):
        mod = None
        for prefix in ("base_model.model.model.", "model."):
            mod = modules.get(prefix + mpath)
            if mod is not None:
                break
        if mod is None or not hasattr(mod, "lora_A"):
            continue
        a = mod.lora_A["default"].weight.detach().float().cpu().numpy()
        b = mod.lora_B["default"].weight.detach().float().cpu().numpy()
        if lm.arch == "llama" and gname.endswith(("attn_q.weight", "attn_k.weight")):
            # The base q/k rows were un-permuted on load; the adapter's
            # output rows must go back to llama.cpp's rope order.
            b = gguf_model.permute_rope(b, lm.n_head if "attn_q" in gname else lm.n_head_kv)
        pairs[gname] = (a, b)
    return pairs


def check_shapes(pairs: dict, base_shapes: dict):
    """The shape checks llama.cpp makes when it loads the adapter."""
    for name, (a, b) in pairs.items():
        ne_w = base_shapes.get(name)
        if ne_w is None:
            raise ValueError(f"adapter_gguf: {name} is not a tensor of the base model")
        ne_a, ne_b = list(reversed(a.shape)), list(reversed(b.shape))
        if ne_w[0] != ne_a[0] or ne_w[1] != ne_b[1] or ne_a[1] != ne_b[0]:
            raise ValueError(f"adapter_gguf: {name}: base ne {ne_w}, lora_a ne {ne_a}, lora_b ne {ne_b} do not fit")


def write(path: str, arch: str, alpha: float, pairs: dict, base_shapes: dict, meta: dict, dtype: str = "f16"):
    check_shapes(pairs, base_shapes)
    np_dtype = {"f16": np.float16, "f32": np.float32}[dtype]
    w = gguf.GGUFWriter(path, arch)
    w.add_type("adapter")
    w.add_string("adapter.type", "lora")
    w.add_float32("adapter.lora.alpha", float(alpha))
    w.add_name(meta.get("name", "purrd LoRA adapter"))
    for k, v in sorted(meta.items()):
        if k == "name" or v is None:
            continue
        key = f"purrd.train.{k}"
        if isinstance(v, bool):
            w.add_bool(key, v)
        elif isinstance(v, int):
            w.add_int64(key, v)
        elif isinstance(v, float):
            w.add_float32(key, v)
        else:
            w.add_string(key, str(v))
    for name, (a, b) in pairs.items():
        w.add_tensor(f"{name}.lora_a", np.ascontiguousarray(a.astype(np_dtype)))
        w.add_tensor(f"{name}.lora_b", np.ascontiguousarray(b.astype(np_dtype)))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def read_pairs(path: str) -> tuple:
    """The LoRA of an adapter GGUF as llama.cpp applies it: (arch, alpha,
    rank, pairs, meta), where pairs maps each adapted base tensor's GGUF
    name to its (A, B) in float32, row-major (ne reversed), and meta
    holds the purrd.train.* keys write recorded, without the prefix
    (empty for a converted adapter). It needs no base model: merge.py
    reads its sources with it, and read builds on it."""
    try:
        r = gguf.GGUFReader(path)
    except (OSError, ValueError) as err:
        raise ValueError(f"adapter_gguf: {path}: not a readable GGUF: {err}") from err

    def field(name):
        return gguf_model.field(r, name)

    if field("general.type") != "adapter" or field("adapter.type") != "lora":
        raise ValueError(f"adapter_gguf: {path}: not a LoRA adapter (general.type {field('general.type')!r})")
    if field("adapter.lora.alpha") is None:
        raise ValueError(f"adapter_gguf: {path}: no adapter.lora.alpha")
    halves = {}
    for t in r.tensors:
        base, _, half = t.name.rpartition(".")
        if half not in ("lora_a", "lora_b"):
            raise ValueError(f"adapter_gguf: {path}: tensor {t.name} is neither lora_a nor lora_b")
        halves.setdefault(base, {})[half] = gguf_model.tensor_f32(t)
    pairs, rank = {}, None
    for gname, h in sorted(halves.items()):
        if len(h) != 2:
            raise ValueError(f"adapter_gguf: {path}: {gname} has {sorted(h)} but not both lora_a and lora_b")
        a, b = h["lora_a"], h["lora_b"]
        rank = a.shape[0] if rank is None else rank
        if a.shape[0] != rank or b.shape[1] != rank:
            raise ValueError(f"adapter_gguf: {path}: {gname} has rank {a.shape[0]}/{b.shape[1]}, others {rank}")
        pairs[gname] = (a, b)
    if not pairs:
        raise ValueError(f"adapter_gguf: {path}: no LoRA tensors")
    prefix = "purrd.train."
    meta = {k[len(prefix):]: field(k) for k in r.fields if k.startswith(prefix)}
    return field("general.architecture"), float(field("adapter.lora.alpha")), rank, pairs, meta


def read(path: str, lm) -> tuple:
    """The LoRA of an adapter GGUF this module (or llama.cpp's converter)
    wrote, for the base lm: (alpha, rank, targets, layers, weights, meta),
    where targets and layers are what train.lora_config takes, weights
    maps peft's parameter names (as a checkpoint's "lora" does) to float32
    tensors, and meta is read_pairs'. Reading the shipped file gives the
    very numbers the engine applies (F16), where a checkpoint holds them
    before rounding."""
    arch, alpha, rank, pairs, meta = read_pairs(path)
    if arch != lm.arch:
        raise ValueError(f"adapter_gguf: {path}: architecture {arch!r}, base is {lm.arch!r}")
    weights, targets, layers = {}, set(), set()
    for gname, (a, b) in pairs.items():
        mpath = lm.gguf_to_module.get(gname)
        if mpath is None:
            raise ValueError(f"adapter_gguf: {path}: {gname} is not a tensor of the base model")
        if lm.arch == "llama" and gname.endswith(("attn_q.weight", "attn_k.weight")):
            # write's permutation undone: back to transformers' row order.
            b = gguf_model.unpermute_rope(b, lm.n_head if "attn_q" in gname else lm.n_head_kv)
        m = re.match(r"layers\.(\d+)\.(.+)$", mpath)
        layers.add(int(m.group(1)))
        targets.add(m.group(2).rsplit(".", 1)[-1])
        # peft's (out, in) layout is the row-major one read_pairs gives.
        for half, w in (("A", a), ("B", b)):
            weights[f"base_model.model.model.{mpath}.lora_{half}.default.weight"] = torch.from_numpy(w)
    lo, hi = min(layers), max(layers)
    if sorted(layers) != list(range(lo, hi + 1)):
        raise ValueError(f"adapter_gguf: {path}: adapted layers {sorted(layers)} are not one range")
    return alpha, rank, ",".join(sorted(targets)), f"{lo}-{hi}", weights, meta


def read_for(path: str, lm, base_path: str) -> tuple:
    """read, after checking that the adapter was made for the base file
    at base_path, where it recorded the one it was made for."""
    got = read(path, lm)
    want = got[5].get("base_sha256", "")
    if want and gguf_model.sha256_file(base_path) != want:
        raise ValueError(f"adapter_gguf: {path} was made for base {want[:12]}, not {base_path}")
    return got
