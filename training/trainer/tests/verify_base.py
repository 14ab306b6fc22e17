"""Sanity check of the GGUF -> transformers conversion on a real model.

    python training/trainer/tests/verify_base.py MODEL.gguf

Prints the perplexity of a few ordinary English sentences, the top-5 next
tokens for a prompt and a greedy continuation. A wrong name map, a
missing norm shift or a wrong rope base shows up as perplexity in the
hundreds or thousands and as gibberish.
"""

import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gguf_model  # noqa: E402
from greedy_tokenizer import GreedyTokenizer  # noqa: E402

SENTENCES = [
    "The cat sat on the mat and looked out of the window at the birds in the garden.",
    "Paris is the capital of France, and it is known for the Eiffel Tower.",
    "I went to the store this morning to buy some milk and bread for breakfast.",
]


def main():
    torch.set_num_threads(2)
    path = sys.argv[1]
    t0 = time.time()
    lm = gguf_model.load(path)
    print(f"loaded {lm.arch} in {time.time() - t0:.1f}s")
    tok = GreedyTokenizer(lm.tokens)
    model = lm.model
    nll, n = 0.0, 0
    with torch.no_grad():
        for s in SENTENCES:
            ids = torch.tensor([tok.encode(s, bos=lm.bos_id)])
            out = model(input_ids=ids, labels=ids)
            k = ids.shape[1] - 1
            print(f"ppl {math.exp(out.loss.item()):8.2f}  {s}")
            nll += out.loss.item() * k
            n += k
        ppl = math.exp(nll / n)
        print(f"overall perplexity {ppl:.2f}")
        prompt = "The capital of France is"
        ids = torch.tensor([tok.encode(prompt, bos=lm.bos_id)])
        logits = model(input_ids=ids).logits[0, -1]
        top = torch.topk(logits.softmax(-1), 5)
        print("top5 after", repr(prompt), [(lm.tokens[i], round(p, 3)) for p, i in zip(top.values.tolist(), top.indices.tolist())])
        for prompt in ["Once upon a time, there was a little cat who", "My favourite food is"]:
            ids = tok.encode(prompt, bos=lm.bos_id)
            for _ in range(24):
                nxt = int(model(input_ids=torch.tensor([ids])).logits[0, -1].argmax())
                ids.append(nxt)
                if nxt == lm.eos_id:
                    break
            print("greedy:", repr(tok.decode(ids[1:])))
    if ppl > 50:
        print("FAIL: perplexity above 50")
        sys.exit(1)


if __name__ == "__main__":
    main()
