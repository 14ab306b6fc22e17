"""Compares the trainer's model with llama.cpp on the same token ids.

    python training/trainer/tests/crosscheck.py LLAMACHECK_BIN MODEL.gguf [ADAPTER.gguf]

LLAMACHECK_BIN is built with
`go build -tags llama -o .cache/llamacheck ./training/trainer/llamacheck`
(engine env of PLAN/Makefile). For a few prompts it prints the top-5 next
tokens of both, their agreement and the largest logit difference; with an
adapter it also loads the adapter's tensors into the transformers model
(the inverse of adapter_gguf.write) and checks that llama.cpp's logits move
the same way, which proves the lora_a/lora_b layout and the alpha/r scale.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import gguf_model  # noqa: E402

PROMPTS = ["The capital of France is", "Owner: hello Mochi, did you sleep well?\nMochi:",
           "Once upon a time, there was a little cat who"]


def engine_ids(binary, model, text):
    out = subprocess.run([binary, "-model", model, "-text", text, "-tokens"], capture_output=True, text=True, check=True)
    return [int(x) for x in out.stdout.strip().split(",")]


def engine_logits(binary, model, ids, lora=None):
    with tempfile.NamedTemporaryFile(suffix=".f32") as f:
        cmd = [binary, "-model", model, "-ids", ",".join(map(str, ids)), "-o", f.name]
        if lora:
            cmd += ["-lora", lora]
        subprocess.run(cmd, capture_output=True, check=True)
        return np.fromfile(f.name, dtype="<f4")


def apply_adapter(lm, path):
    """Merges the adapter GGUF into the transformers weights: W += alpha/r * B A."""
    r = gguf.GGUFReader(path)
    alpha = float(r.fields["adapter.lora.alpha"].contents())
    t = {x.name: np.asarray(x.data, dtype=np.float32).reshape([int(d) for d in reversed(x.shape)]) for x in r.tensors}
    mods = dict(lm.model.named_modules())
    with torch.no_grad():
        for gname, mpath in lm.gguf_to_module.items():
            if gname + ".lora_a" not in t:
                continue
            a, b = t[gname + ".lora_a"], t[gname + ".lora_b"]
            if lm.arch == "llama" and gname.endswith(("attn_q.weight", "attn_k.weight")):
                n = lm.n_head if "attn_q" in gname else lm.n_head_kv
                out = b.shape[0]
                b = b.reshape(n, out // n // 2, 2, -1).swapaxes(1, 2).reshape(b.shape)
            mods["model." + mpath].weight += torch.from_numpy(alpha / a.shape[0] * (b @ a))


def top5(v):
    return list(np.argsort(-v)[:5])


def compare(lm, binary, model, lora=None):
    worst = 0.0
    for p in PROMPTS:
        ids = engine_ids(binary, model, p)
        with torch.no_grad():
            hf = lm.model(input_ids=torch.tensor([ids])).logits[0, -1].numpy()
        ll = engine_logits(binary, model, ids, lora)
        diff = float(np.abs(hf - ll).max())
        worst = max(worst, diff)
        same = top5(hf) == top5(ll)
        print(f"{'adapter' if lora else 'base   '} top5 {'same' if same else 'DIFFERENT'} max|dlogit| {diff:.3f} "
              f"hf {[lm.tokens[i] for i in top5(hf)]} llama.cpp {[lm.tokens[i] for i in top5(ll)]}  {p!r}")
    return worst


def main():
    torch.set_num_threads(2)
    binary, model = sys.argv[1], sys.argv[2]
    lora = sys.argv[3] if len(sys.argv) > 3 else None
    lm = gguf_model.load(model)
    compare(lm, binary, model)
    if lora:
        before = {p: engine_logits(binary, model, engine_ids(binary, model, p)) for p in PROMPTS}
        apply_adapter(lm, lora)
        compare(lm, binary, model, lora)
        for p in PROMPTS:
            moved = np.abs(engine_logits(binary, model, engine_ids(binary, model, p), lora) - before[p]).max()
            print(f"adapter moves llama.cpp logits by up to {moved:.3f} on {p!r}")


if __name__ == "__main__":
    main()
