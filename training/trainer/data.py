"""Training examples from a `purrd dataset export` JSONL file.

Each line holds the ids llama.cpp's tokenizer gave for one rendered
conversation and a 0/1 mask over them; mask 1 marks the cat's reply tokens,
the only ones that carry loss. The held-out split is chosen by a hash of the
source conversation (the id before "#"), so the expansions of one
conversation never sit on both sides of the split.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random


class DataError(Exception):
    """A training file that cannot be used."""


@dataclasses.dataclass(frozen=True)
class Example:
    id: str
    ids: tuple
    mask: tuple

    @property
    def loss_tokens(self) -> int:
        # mask[i] says token i is a target: it is predicted from position i-1.
        return sum(self.mask[1:])


def load_jsonl(path: str, vocab_size: int, max_len: int) -> list:
    examples = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"data: {path}:{lineno}: {e}") from e
            ids, mask = o.get("ids"), o.get("mask")
            if not isinstance(ids, list) or not isinstance(mask, list):
                raise DataError(f"data: {path}:{lineno}: no ids/mask (export with -model)")
            if len(ids) != len(mask) or not ids:
                raise DataError(f"data: {path}:{lineno}: {len(ids)} ids but {len(mask)} mask values")
            if any((not isinstance(t, int)) or t < 0 or t >= vocab_size for t in ids):
                raise DataError(f"data: {path}:{lineno}: token id outside the model's vocabulary of {vocab_size}")
            if any(m not in (0, 1) for m in mask):
                raise DataError(f"data: {path}:{lineno}: mask values must be 0 or 1")
            if len(ids) > max_len:
                # Keep the start: the prompt context comes first and a reply
                # cut at its end still teaches its beginning.
                ids, mask = ids[:max_len], mask[:max_len]
            ex = Example(id=str(o.get("id", f"line{lineno}")), ids=tuple(ids), mask=tuple(mask))
            if ex.loss_tokens == 0:
                continue
            examples.append(ex)
    if not examples:
        raise DataError(f"data: {path}: no example with loss tokens")
    return examples


def conversation_key(example_id: str) -> str:
    return example_id.split("#", 1)[0]


def is_heldout(example_id: str, fraction: float, seed: int) -> bool:
    h = hashlib.sha256(f"{seed}:{conversation_key(example_id)}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64 < fraction


def split(examples: list, fraction: float, seed: int):
    train = [e for e in examples if not is_heldout(e.id, fraction, seed)]
    held = [e for e in examples if is_heldout(e.id, fraction, seed)]
    if not train:
        raise DataError("data: the held-out split took every example")
    return train, held


def epoch_batches(examples: list, batch_tokens: int, max_batch: int, seed: int, epoch: int) -> list:
    """Batches of similar-length examples for one epoch, in a fixed order.

    Examples are shuffled, sorted by length inside windows of 64 so padding
    stays small, packed into batches of at most batch_tokens padded tokens
    (and max_batch sequences), and the batches are shuffled. The same
    (seed, epoch) always gives the same list of lists of example indices.
    """
    rng = random.Random(f"{seed}/{epoch}")
    order = list(range(len(examples)))
    rng.shuffle(order)
    batches = []
    window = 64
    for w in range(0, len(order), window):
        chunk = sorted(order[w : w + window], key=lambda i: (len(examples[i].ids), i))
        cur, longest = [], 0
        for i in chunk:
            n = len(examples[i].ids)
            if cur and (max(longest, n) * (len(cur) + 1) > batch_tokens or len(cur) >= max_batch):
                batches.append(cur)
                cur, longest = [], 0
            cur.append(i)
            longest = max(longest, n)
        if cur:
            batches.append(cur)
    rng.shuffle(batches)
    return batches


def collate(examples: list, idx: list, pad_id: int):
    """Right-padded ids, attention mask and the loss positions of a batch.

    Returns (ids, attn, rows, cols, targets): hidden state (rows[k], cols[k])
    predicts targets[k].
    """
    import torch

    n = max(len(examples[i].ids) for i in idx)
    ids = torch.full((len(idx), n), pad_id, dtype=torch.long)
    attn = torch.zeros((len(idx), n), dtype=torch.long)
    rows, cols, targets = [], [], []
    for r, i in enumerate(idx):
        e = examples[i]
        ids[r, : len(e.ids)] = torch.tensor(e.ids)
        attn[r, : len(e.ids)] = 1
        for t in range(1, len(e.ids)):
            if e.mask[t]:
                rows.append(r)
                cols.append(t - 1)
                targets.append(e.ids[t])
    return ids, attn, torch.tensor(rows), torch.tensor(cols), torch.tensor(targets)
