"""Greedy longest-match tokenization over a GGUF vocabulary, for tests only.

Training data carries token ids from llama.cpp's own tokenizer (the
`purrd dataset export` JSONL); this stand-in only makes plausible ids for
fixtures and for the base-model sanity check. It is not the engine's
tokenizer and must not be used to make training data.
"""

from __future__ import annotations


class GreedyTokenizer:
    def __init__(self, tokens: list):
        self.tokens = tokens
        self.index = {}
        for i, t in enumerate(tokens):
            self.index.setdefault(t, i)
        self.max_len = min(24, max(len(t) for t in tokens))
        self.bytes = {b: self.index.get(f"<0x{b:02X}>") for b in range(256)}

    def encode(self, text: str, bos: int | None = None) -> list:
        s = text.replace(" ", "\u2581")
        ids = [bos] if bos is not None else []
        i = 0
        while i < len(s):
            for n in range(min(self.max_len, len(s) - i), 0, -1):
                t = self.index.get(s[i : i + n])
                if t is not None:
                    ids.append(t)
                    i += n
                    break
            else:
                for b in s[i].encode("utf-8"):
                    if self.bytes[b] is None:
                        raise ValueError(f"greedy_tokenizer: no token for byte {b:#x}")
                    ids.append(self.bytes[b])
                i += 1
        return ids

    def decode(self, ids: list) -> str:
        return "".join(self.tokens[i] for i in ids).replace("\u2581", " ")
