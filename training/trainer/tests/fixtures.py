"""Test fixtures: tiny gemma3 and qwen2 GGUFs and a dataset-export-like JSONL.

The project's Go generator (dialog/llama/cmd/tinygguf) writes tiny llama
models; gemma3 and qwen2 have no Go generator, so their tiny random models
are written here with the gguf package, with the tensor names and metadata
keys of real Gemma 3 and Qwen2.5 GGUFs, to run the loader's paths in CI.
"""

from __future__ import annotations

import json
import random

import numpy as np
import gguf

from greedy_tokenizer import GreedyTokenizer

WORDS = ["the", "cat", "purr", "meow", "you", "I", "is", "a", "to", "and", "hello", "hi", "nap", "fish",
         "play", "sleep", "happy", "love", "my", "name", "what", "are", "me", "it", "on", "in", "so", "soft",
         "warm", "sun", "Owner", "Mochi", ":"]


def tiny_vocab(n: int) -> list:
    toks = ["<pad>", "<eos>", "<bos>", "<unk>"] + [f"<0x{b:02X}>" for b in range(256)] + ["\n", "\u2581"]
    for w in WORDS:
        for t in (w, "\u2581" + w):
            if t not in toks:
                toks.append(t)
    for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,!?'":
        for t in (c, "\u2581" + c):
            if t not in toks:
                toks.append(t)
    i = 0
    while len(toks) < n:
        toks.append(f"\u2581w{i}")
        i += 1
    return toks[:n]


class _TinyWriter:
    """What every tiny model shares: the GGUF metadata of its shape, the
    tiny vocabulary with its special ids, and random tensors drawn in call
    order from one seed (Q8_0 matrices, F32 vectors)."""

    def __init__(self, path, arch, seed, layers, width, ffn, heads, heads_kv, vocab):
        self.rng = np.random.default_rng(seed)
        w = self.w = gguf.GGUFWriter(path, arch)
        w.add_name(f"purrd tiny {arch}")
        w.add_context_length(2048)
        w.add_embedding_length(width)
        w.add_block_count(layers)
        w.add_feed_forward_length(ffn)
        w.add_head_count(heads)
        w.add_head_count_kv(heads_kv)
        w.add_layer_norm_rms_eps(1e-6)
        w.add_rope_freq_base(1e6)
        w.add_tokenizer_model("llama")
        toks = tiny_vocab(vocab)
        w.add_token_list(toks)
        w.add_token_scores([0.0] * vocab)
        w.add_token_types([3 if t.startswith("<") and len(t) > 1 else 1 for t in toks])
        w.add_bos_token_id(2)
        w.add_eos_token_id(1)
        w.add_pad_token_id(0)

    def q8(self, name, out_dim, in_dim, std=0.05):
        a = (self.rng.standard_normal((out_dim, in_dim)) * std).astype(np.float32)
        qa = gguf.quants.quantize(a, gguf.GGMLQuantizationType.Q8_0)
        self.w.add_tensor(name, qa, raw_shape=qa.shape, raw_dtype=gguf.GGMLQuantizationType.Q8_0)

    def vec(self, name, n, centre=0.0, std=0.1):
        self.w.add_tensor(name, (centre + self.rng.standard_normal(n) * std).astype(np.float32))

    def close(self):
        self.w.write_header_to_file()
        self.w.write_kv_data_to_file()
        self.w.write_tensors_to_file()
        self.w.close()


def write_tiny_gemma3(path: str, seed: int = 1, layers: int = 2, width: int = 64, ffn: int = 128,
                      heads: int = 2, heads_kv: int = 1, head_dim: int = 32, vocab: int = 512, window: int = 16):
    t = _TinyWriter(path, "gemma3", seed, layers, width, ffn, heads, heads_kv, vocab)
    t.w.add_key_length(head_dim)
    t.w.add_value_length(head_dim)
    t.w.add_sliding_window(window)

    def norm(name, n):
        # Stored as 1 + w, as convert_hf_to_gguf writes Gemma norms.
        t.vec(name, n, 1.0)

    t.q8("token_embd.weight", vocab, width, 0.05)
    norm("output_norm.weight", width)
    for i in range(layers):
        p = f"blk.{i}."
        norm(p + "attn_norm.weight", width)
        t.q8(p + "attn_q.weight", heads * head_dim, width)
        t.q8(p + "attn_k.weight", heads_kv * head_dim, width)
        t.q8(p + "attn_v.weight", heads_kv * head_dim, width)
        t.q8(p + "attn_output.weight", width, heads * head_dim)
        norm(p + "attn_q_norm.weight", head_dim)
        norm(p + "attn_k_norm.weight", head_dim)
        norm(p + "post_attention_norm.weight", width)
        norm(p + "ffn_norm.weight", width)
        t.q8(p + "ffn_gate.weight", ffn, width)
        t.q8(p + "ffn_up.weight", ffn, width)
        t.q8(p + "ffn_down.weight", width, ffn)
        norm(p + "post_ffw_norm.weight", width)
    t.close()


def write_tiny_qwen2(path: str, seed: int = 2, layers: int = 2, width: int = 64, ffn: int = 128,
                     heads: int = 2, heads_kv: int = 1, vocab: int = 512, stray_bias: str = ""):
    """Qwen2.5's layout: q, k and v carry biases (F32), embeddings are tied
    (no output.weight), norms are stored as they are. stray_bias names a
    further bias tensor to add (e.g. "blk.0.attn_output.bias"), which no
    real Qwen2 file has."""
    t = _TinyWriter(path, "qwen2", seed, layers, width, ffn, heads, heads_kv, vocab)
    head_dim = width // heads
    t.q8("token_embd.weight", vocab, width, 0.05)
    t.vec("output_norm.weight", width, 1.0)
    for i in range(layers):
        p = f"blk.{i}."
        t.vec(p + "attn_norm.weight", width, 1.0)
        t.q8(p + "attn_q.weight", heads * head_dim, width)
        t.vec(p + "attn_q.bias", heads * head_dim)
        t.q8(p + "attn_k.weight", heads_kv * head_dim, width)
        t.vec(p + "attn_k.bias", heads_kv * head_dim)
        t.q8(p + "attn_v.weight", heads_kv * head_dim, width)
        t.vec(p + "attn_v.bias", heads_kv * head_dim)
        t.q8(p + "attn_output.weight", width, heads * head_dim)
        t.vec(p + "ffn_norm.weight", width, 1.0)
        t.q8(p + "ffn_gate.weight", ffn, width)
        t.q8(p + "ffn_up.weight", ffn, width)
        t.q8(p + "ffn_down.weight", width, ffn)
    if stray_bias:
        t.vec(stray_bias, width)
    t.close()


OWNER = ["hello", "what is your name", "are you happy", "do you like fish", "time to sleep", "hi my cat",
         "I love you", "play with me", "is it warm in the sun"]
CAT = ["purr", "meow, I am Mochi", "so happy, purr", "fish! I love fish", "nap in the sun", "meow meow",
       "soft and warm, purr", "play! meow", "I nap on you"]


def write_jsonl(path: str, tokens: list, bos: int, eos: int, n: int = 60, seed: int = 7, turns: int = 3):
    """Conversations rendered as "Owner: ...\\nMochi: ...\\n"; the cat's
    reply and its end-of-turn marker carry loss, as in the real export."""
    tok = GreedyTokenizer(tokens)
    rng = random.Random(seed)
    nl = tok.encode("\n")
    with open(path, "w", encoding="utf-8") as f:
        for c in range(n):
            ids, mask = [bos], [0]
            text = ""
            for _ in range(rng.randint(1, turns)):
                o, r = rng.choice(OWNER), rng.choice(CAT)
                prompt = tok.encode(f"Owner: {o}\nMochi:")
                reply = tok.encode(" " + r) + nl
                ids += prompt + reply
                mask += [0] * len(prompt) + [1] * len(reply)
                text += f"Owner: {o}\nMochi: {r}\n"
            ids.append(eos)
            mask.append(1)
            f.write(json.dumps({"id": f"fixture.conv:{c // 2}#{c % 2}", "lang": "en", "text": text,
                                "ids": ids, "mask": mask}) + "\n")


SCENE = ("Mochi is a small grey robot cat who lives with her owner in a flat by the river. She likes naps in "
         "the sun, soft blankets, fish treats and being brushed. She answers in one or two short sentences, "
         "warmly and a little playfully, and she never pretends to be a person. ")
OWNER_LONG = ["I just got home from work and I am so tired today.", "Did you sleep well on the sofa this afternoon?",
              "What should we do this evening, do you want to play?", "It is raining again, the whole street is wet.",
              "My friend Lin is coming over for tea tomorrow.", "Do you remember what I told you about the garden?"]
CAT_LONG = ["Welcome home! Come sit with me, I kept the blanket warm for you.",
            "I napped in the sunny spot until it moved away, then I followed it.",
            "Let's play with the feather toy, and then a quiet nap together.",
            "Rain is loud on the window. I will stay inside and purr next to you.",
            "Tea with Lin sounds lovely. I will sit on the chair and be very polite.",
            "You said the roses are growing. I want to sniff them when it is dry."]


def write_bench_jsonl(path: str, tokens: list, bos: int, eos: int, n: int = 64, seed: int = 11):
    """Sequences like the real export's: ~150-300 tokens, ~20% of them reply
    tokens, for speed measurements on the real model."""
    tok = GreedyTokenizer(tokens)
    rng = random.Random(seed)
    nl = tok.encode("\n")
    with open(path, "w", encoding="utf-8") as f:
        for c in range(n):
            ids = [bos] + tok.encode(SCENE)
            mask = [0] * len(ids)
            target = rng.randint(150, 300)
            while len(ids) < target:
                o, r = rng.choice(OWNER_LONG), rng.choice(CAT_LONG)
                prompt = tok.encode(f"\nOwner: {o}\nMochi:")
                reply = tok.encode(" " + r) + nl
                ids += prompt + reply
                # The real export's earlier replies sit in the prompt
                # history; only some replies carry loss.
                mask += [0] * len(prompt) + [int(rng.random() < 0.55)] * len(reply)
            f.write(json.dumps({"id": f"bench.conv:{c}#0", "lang": "en", "text": tok.decode(ids[1:]),
                                "ids": ids, "mask": mask}) + "\n")
