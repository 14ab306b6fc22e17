"""Preference training (DPO) on pairs of replies to the same prompt.

A pair is a chosen and a rejected reply to one conversation, exported by
purrd as two records with the same id (the same conversation with a
different last reply). The loss is Rafailov et al.'s (2023) direct
preference optimisation: -log sigmoid(beta * ((log pi(c) - log ref(c)) -
(log pi(r) - log ref(r)))), with the reference the model as the run
starts (its --init-from weights), computed once before the first step
and kept in the checkpoint, so a resumed run compares with the same
reference. An optional SFT term (--sft-weight) keeps the chosen
replies' own likelihood up, as in RPO (Pang et al., 2024).
"""
from __future__ import annotations

import dataclasses
import hashlib
import random

import torch
import torch.nn.functional as F

import data


def paired(chosen: list, rejected: list, log) -> tuple[list, dict]:
    """The chosen examples that have a rejected partner (by id), and the
    partners by id. A partner must share the chosen reply's prompt: the
    tokens before the last reply are the same."""
    by_id = {e.id: e for e in rejected}
    out = []
    for c in chosen:
        r = by_id.get(c.id)
        if r is None:
            continue
        p = last_reply_start(c)
        if p != last_reply_start(r) or c.ids[:p] != r.ids[:p]:
            raise SystemExit(f"train: --rejected: {c.id}: the rejected reply's conversation is not the chosen one's "
                             f"(the tokens before the last reply differ)")
        if c.ids == r.ids:
            raise SystemExit(f"train: --rejected: {c.id}: the rejected reply is the chosen one")
        out.append(c)
    if not out:
        raise SystemExit("train: --rejected: no example has a partner with the same id in --data")
    log(f"--rejected: {len(out)} pairs ({len(chosen) - len(out)} chosen and {len(rejected) - len(out)} rejected "
        f"examples without a partner left out)")
    return out, {c.id: by_id[c.id] for c in out}


def repeat_pairs(examples: list, n: int, seed: int, log) -> tuple[list, dict]:
    """Up to n pairs that teach the cat not to say again what it said
    before in the same conversation: the chosen side is a conversation as
    written (several replies), the rejected side the same conversation
    whose last reply is a verbatim copy of one of the cat's earlier
    replies in it. The copy is the failure preference training showed
    (docs/models.md): replies pulled towards lines already in the context,
    which the run-time repeat guard then refuses. Ids get a "repeat:"
    prefix, so they never meet a rated pair's. Chosen by seed among the
    conversations with an earlier reply unlike the last (n <= 0: all)."""
    out, partner = [], {}
    for e in examples:
        spans = reply_spans(e)
        if len(spans) < 2:
            continue
        p, q = spans[-1]
        last = e.ids[p:q]
        earlier = [e.ids[s:t] for s, t in spans[:-1]]
        # The export's last reply may carry an end marker the earlier
        # ones lack (an end-of-sequence token): the copy keeps it, and
        # whatever follows the reply without loss (a chat template's
        # newline after its end of turn) stays as it is.
        tail = last[-1:] if all(x[-1] != last[-1] for x in earlier) else ()
        options = sorted({x for x in earlier if x + tail != last and x != last})
        if not options:
            continue
        pick = options[int.from_bytes(hashlib.sha256(f"{seed}:{e.id}".encode()).digest()[:4], "big") % len(options)]
        ids = e.ids[:p] + pick + tail + e.ids[q:]
        mask = e.mask[:p] + (1,) * (len(pick) + len(tail)) + e.mask[q:]
        rid = "repeat:" + e.id
        out.append(dataclasses.replace(e, id=rid))
        partner[rid] = dataclasses.replace(e, id=rid, ids=ids, mask=mask)
    if not out:
        raise SystemExit("train: --repeats: no conversation has two different replies of the cat's to build a pair from")
    found = len(out)
    if 0 < n < found:
        out = random.Random(seed).sample(sorted(out, key=lambda c: c.id), n)
    log(f"--repeats: {len(out)} pairs whose rejected reply repeats an earlier one ({found} conversations could give one)")
    return out, {c.id: partner[c.id] for c in out}


def reply_spans(e) -> list:
    """(start, end) of each run of loss tokens: the cat's replies."""
    spans, i, m = [], 0, e.mask
    while i < len(m):
        if m[i]:
            j = i
            while j < len(m) and m[j]:
                j += 1
            spans.append((i, j))
            i = j
        else:
            i += 1
    return spans


def last_reply_start(e) -> int:
    """The index of the first token of the last span carrying loss: the
    last reply (after it, at most a chat template's unlossed end)."""
    return reply_spans(e)[-1][0]


def seq_logps(token_loss, examples: list, pad_id: int):
    """The summed log-probability of each example's loss tokens, with the
    tokens and loss tokens of the batch. token_loss(batch) is the trainer's
    per-token cross-entropy on a collated batch (train.masked_loss with
    reduction "none")."""
    batch = data.collate(examples, list(range(len(examples))), pad_id)
    _, attn, rows, _, targets = batch
    tok = -token_loss(batch)
    return torch.zeros(len(examples), dtype=tok.dtype).index_add(0, rows, tok), int(attn.sum()), len(targets)


def reference(token_loss, pairs: list, partner: dict, pad_id: int, per: int = 8) -> dict:
    """id -> (log ref(chosen), log ref(rejected)) under the weights now."""
    ref = {}
    with torch.no_grad():
        for k in range(0, len(pairs), per):
            cs = pairs[k:k + per]
            lp, _, _ = seq_logps(token_loss, cs + [partner[c.id] for c in cs], pad_id)
            for i, c in enumerate(cs):
                ref[c.id] = (float(lp[i]), float(lp[len(cs) + i]))
    return ref


def loss(token_loss, cs: list, partner: dict, ref: dict, beta: float, sft_weight: float, pad_id: int):
    """The DPO loss of a batch of chosen examples and their partners, and
    (margin accuracy, tokens, loss tokens) for the log."""
    lp, ntok, nloss = seq_logps(token_loss, cs + [partner[c.id] for c in cs], pad_id)
    pc, pr = lp[: len(cs)], lp[len(cs):]
    rc = torch.tensor([ref[c.id][0] for c in cs])
    rr = torch.tensor([ref[c.id][1] for c in cs])
    margin = beta * ((pc - rc) - (pr - rr))
    total = -F.logsigmoid(margin).mean()
    if sft_weight:
        total = total + sft_weight * (-pc / torch.tensor([max(1, sum(c.mask)) for c in cs])).mean()
    return total, float((margin > 0).float().mean()), ntok, nloss


def evaluate(token_loss, held: list, partner: dict, ref: dict, beta: float, pad_id: int, per: int = 8):
    """Held-out DPO loss and the share of pairs whose chosen reply gains
    on the rejected one."""
    if not held:
        return float("nan"), float("nan")
    tot, acc, n = 0.0, 0.0, 0
    with torch.no_grad():
        for k in range(0, len(held), per):
            cs = held[k:k + per]
            l, a, _, _ = loss(token_loss, cs, partner, ref, beta, 0.0, pad_id)
            tot += float(l) * len(cs)
            acc += a * len(cs)
            n += len(cs)
    return tot / n, acc / n
