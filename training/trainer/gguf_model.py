"""Builds a transformers causal LM from a llama.cpp GGUF file.

The adapter must be trained against exactly the weights llama.cpp runs, so
the quantized tensors of the very GGUF the robot loads are dequantized to
float32 here (gguf.quants.dequantize) rather than fetched from another
checkpoint. Three architectures are understood: gemma3 (the shipped model),
qwen2 (Qwen2.5, the larger base measured against it) and llama (the tiny
random models the project's Go generator writes for tests).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import subprocess

import numpy as np
import torch
import gguf
from gguf import GGUFReader, GGMLQuantizationType

# The llama.cpp tensors each architecture's LoRA may target, with the
# transformers module name that holds the same weight.
LORA_TARGETS = {
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}

_BLOCK_MAPS = {
    "gemma3": {
        **LORA_TARGETS,
        "attn_norm": "input_layernorm",
        "post_attention_norm": "post_attention_layernorm",
        "ffn_norm": "pre_feedforward_layernorm",
        "post_ffw_norm": "post_feedforward_layernorm",
        "attn_q_norm": "self_attn.q_norm",
        "attn_k_norm": "self_attn.k_norm",
    },
    "llama": {
        **LORA_TARGETS,
        "attn_norm": "input_layernorm",
        "ffn_norm": "post_attention_layernorm",
    },
    "qwen2": {
        **LORA_TARGETS,
        "attn_norm": "input_layernorm",
        "ffn_norm": "post_attention_layernorm",
    },
}

# Tensors that carry a bias beside their weight, per architecture (Qwen2's
# q, k and v projections); every other bias in a file is refused.
_BIASES = {"qwen2": {"attn_q", "attn_k", "attn_v"}}


class GGUFModelError(Exception):
    """A GGUF file this loader cannot turn into a model."""


@dataclasses.dataclass
class LoadedModel:
    model: torch.nn.Module
    arch: str
    config: object
    # GGUF tensor name (e.g. "blk.0.attn_q.weight") -> transformers module
    # path without the "model." prefix (e.g. "layers.0.self_attn.q_proj").
    gguf_to_module: dict
    # GGUF shapes (ne order, as llama.cpp reports them) of every tensor.
    gguf_shapes: dict
    n_head: int
    n_head_kv: int
    bos_id: int | None
    eos_id: int | None
    tokens: list


def git_commit(given: str = "") -> str:
    """The commit a manifest records: given, else HEAD as git describe
    --dirty names it, so a file made from a work tree with changes does
    not claim a commit that could not have made it ("" outside git)."""
    if given:
        return given
    try:
        return subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=40"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def sha256_file(path: str, chunk: int = 1 << 22) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(chunk)
            if not b:
                return h.hexdigest()
            h.update(b)


def field(reader: GGUFReader, key: str, default=None):
    f = reader.fields.get(key)
    if f is None:
        return default
    return f.contents()


def tensor_f32(t) -> np.ndarray:
    # gguf's numpy view is already in row-major (reversed ne) order.
    shape = tuple(int(x) for x in reversed(t.shape))
    if t.tensor_type in (GGMLQuantizationType.F32, GGMLQuantizationType.F16, GGMLQuantizationType.BF16):
        if t.tensor_type == GGMLQuantizationType.BF16:
            a = gguf.quants.dequantize(t.data, t.tensor_type)
        else:
            a = np.asarray(t.data)
        return np.ascontiguousarray(a, dtype=np.float32).reshape(shape)
    return np.ascontiguousarray(gguf.quants.dequantize(t.data, t.tensor_type), dtype=np.float32).reshape(shape)


def unpermute_rope(w: np.ndarray, n_head: int) -> np.ndarray:
    # convert_hf_to_gguf permutes llama q/k rows from rotate-half order to
    # llama.cpp's interleaved rope order; transformers expects rotate-half.
    out = w.shape[0]
    return w.reshape(n_head, out // n_head // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def permute_rope(w: np.ndarray, n_head: int) -> np.ndarray:
    """The converter's permutation: transformers q/k row order -> llama.cpp's."""
    out = w.shape[0]
    return w.reshape(n_head, 2, out // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _release_freed_memory():
    # glibc keeps the dequantization temporaries' pages; hand them back so
    # the peak RSS of training is not inflated by the loading phase.
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def load(path: str, dtype=torch.float32) -> LoadedModel:
    """Reads the GGUF at path and returns an equivalent transformers model."""
    try:
        reader = GGUFReader(path)
    except Exception as e:  # the gguf package raises many kinds
        raise GGUFModelError(f"gguf_model: reading {path}: {e}") from e
    arch = field(reader, "general.architecture")
    if arch not in _BLOCK_MAPS:
        raise GGUFModelError(f"gguf_model: {path}: architecture {arch!r} not supported (gemma3, qwen2, llama)")

    def hp(key, default=None):
        v = field(reader, f"{arch}.{key}", default)
        if v is None:
            raise GGUFModelError(f"gguf_model: {path}: metadata {arch}.{key} missing")
        return v

    tensors = {t.name: t for t in reader.tensors}
    tokens = field(reader, "tokenizer.ggml.tokens") or []
    vocab = int(tensors["token_embd.weight"].shape[1])
    hidden = int(hp("embedding_length"))
    n_layer = int(hp("block_count"))
    n_head = int(hp("attention.head_count"))
    n_head_kv = int(hp("attention.head_count_kv", n_head))
    head_dim = int(hp("attention.key_length", hidden // n_head))
    ffn = int(hp("feed_forward_length"))
    eps = float(hp("attention.layer_norm_rms_epsilon"))
    rope_base = float(hp("rope.freq_base", 10000.0))
    ctx = int(hp("context_length"))
    tied = "output.weight" not in tensors
    bos = field(reader, "tokenizer.ggml.bos_token_id")
    eos = field(reader, "tokenizer.ggml.eos_token_id")
    pad = field(reader, "tokenizer.ggml.padding_token_id", 0)

    import transformers
    from transformers.modeling_utils import no_init_weights

    if arch == "gemma3":
        window = int(hp("attention.sliding_window", 0))
        # llama.cpp (llama-model.cpp, LLM_ARCH_GEMMA3) hard-codes what the
        # GGUF does not carry: every 6th layer is global, the sliding
        # layers use rope base 10000, and the query scale is
        # 1/sqrt(head_dim) for all sizes but 27B.
        layer_types = [
            "sliding_attention" if window > 0 and (i % 6) < 5 else "full_attention" for i in range(n_layer)
        ]
        softcap = field(reader, f"{arch}.final_logit_softcapping")
        config = transformers.Gemma3TextConfig(
            vocab_size=vocab, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=n_layer,
            num_attention_heads=n_head, num_key_value_heads=n_head_kv, head_dim=head_dim,
            hidden_activation="gelu_pytorch_tanh", max_position_embeddings=ctx, rms_norm_eps=eps,
            rope_theta=rope_base, rope_local_base_freq=10000.0, sliding_window=max(window, 1),
            layer_types=layer_types, query_pre_attn_scalar=head_dim,
            final_logit_softcapping=float(softcap) if softcap else None, attn_logit_softcapping=None,
            tie_word_embeddings=tied, pad_token_id=pad, bos_token_id=bos, eos_token_id=eos,
            attention_dropout=0.0, use_cache=False,
        )
        cls = transformers.Gemma3ForCausalLM
    elif arch == "qwen2":
        config = transformers.Qwen2Config(
            vocab_size=vocab, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=n_layer,
            num_attention_heads=n_head, num_key_value_heads=n_head_kv, hidden_act="silu",
            max_position_embeddings=ctx, rms_norm_eps=eps, rope_theta=rope_base, use_sliding_window=False,
            tie_word_embeddings=tied, pad_token_id=pad, bos_token_id=bos, eos_token_id=eos, use_cache=False,
        )
        cls = transformers.Qwen2ForCausalLM
    else:
        config = transformers.LlamaConfig(
            vocab_size=vocab, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=n_layer,
            num_attention_heads=n_head, num_key_value_heads=n_head_kv, head_dim=head_dim,
            hidden_act="silu", max_position_embeddings=ctx, rms_norm_eps=eps, rope_theta=rope_base,
            tie_word_embeddings=tied, pad_token_id=pad, bos_token_id=bos, eos_token_id=eos, use_cache=False,
        )
        cls = transformers.LlamaForCausalLM
    config._attn_implementation = "sdpa"
    with no_init_weights():
        model = cls(config)
    model.to(dtype)

    block_map = _BLOCK_MAPS[arch]
    params = dict(model.named_parameters())
    loaded = set()
    gguf_to_module = {}
    gguf_shapes = {}
    pat = re.compile(r"^blk\.(\d+)\.(\w+)\.(weight|bias)$")
    biases = _BIASES.get(arch, set())
    for name, t in tensors.items():
        gguf_shapes[name] = [int(x) for x in t.shape]
        if name == "token_embd.weight":
            hf = "model.embed_tokens.weight"
        elif name == "output_norm.weight":
            hf = "model.norm.weight"
        elif name == "output.weight":
            hf = "lm_head.weight"
        elif name == "rope_freqs.weight":
            raise GGUFModelError(f"gguf_model: {path}: rope_freqs (rope scaling) not supported")
        else:
            m = pat.match(name)
            if not m or m.group(2) not in block_map or (m.group(3) == "bias" and m.group(2) not in biases):
                raise GGUFModelError(f"gguf_model: {path}: tensor {name} has no transformers counterpart")
            module = f"layers.{m.group(1)}.{block_map[m.group(2)]}"
            hf = f"model.{module}.{m.group(3)}"
            if m.group(2) in LORA_TARGETS and m.group(3) == "weight":
                gguf_to_module[name] = module
        a = tensor_f32(t)
        if arch == "gemma3" and name.endswith("norm.weight"):
            # convert_hf_to_gguf stores Gemma RMSNorm weights as 1 + w
            # (llama.cpp multiplies by the weight); transformers' Gemma
            # norm multiplies by (1 + w), so the shift comes back off.
            a = a - 1.0
        if arch == "llama" and name.endswith(("attn_q.weight", "attn_k.weight")):
            a = unpermute_rope(a, n_head if "attn_q" in name else n_head_kv)
        p = params.get(hf)
        if p is None or tuple(p.shape) != a.shape:
            raise GGUFModelError(f"gguf_model: {path}: tensor {name} {a.shape} does not fit {hf}")
        # One tensor at a time straight into the model: the dequantized
        # copy of the 262k-token embedding alone is 670 MB.
        with torch.no_grad():
            p.copy_(torch.from_numpy(a))
        loaded.add(hf)
        del a

    if tied:
        model.tie_weights()
        loaded.add("lm_head.weight")
    missing = sorted(set(params) - loaded)
    if missing:
        raise GGUFModelError(f"gguf_model: {path}: no GGUF tensor for {missing[:5]}")
    _release_freed_memory()
    model.eval()
    return LoadedModel(
        model=model, arch=arch, config=config, gguf_to_module=gguf_to_module, gguf_shapes=gguf_shapes,
        n_head=n_head, n_head_kv=n_head_kv, bos_id=bos, eos_id=eos, tokens=list(tokens),
    )
