"""CPU LoRA training of a llama.cpp GGUF model on purrd's dataset export.

    python training/trainer/train.py --base MODEL.gguf --data train.jsonl \
        --out .cache/train/run --max-minutes 55

Re-running with the same --out resumes from its last checkpoint. The
adapter GGUF (llama.cpp's LoRA format) and MANIFEST.json are written at the
end, when --max-minutes runs out, or on Ctrl-C. See training/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import signal
import sys
import time

T_START = time.time()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import adapter_gguf  # noqa: E402
import data  # noqa: E402
import preference  # noqa: E402
import gguf_model  # noqa: E402

MODULE_NAMES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
CKPT = "checkpoint.pt"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="base model GGUF (the file the robot runs)")
    p.add_argument("--data", required=True, help="JSONL from `purrd dataset export -model BASE`")
    p.add_argument("--out", required=True, help="run folder: checkpoint, log, adapter, manifest")
    p.add_argument("--adapter", default="", help="adapter GGUF path (default OUT/adapter.lora.gguf)")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--rank", type=int, default=16)
    p.add_argument("--alpha", type=float, default=0, help="LoRA alpha (default 2*rank)")
    p.add_argument("--dropout", type=float, default=0.05)
    p.add_argument("--targets", default=",".join(MODULE_NAMES), help="modules to adapt")
    p.add_argument("--layers", default="", help="adapt only these decoder layers, e.g. 9-17 (default all): "
                   "backward then stops at the lowest adapted layer, which is most of a CPU step")
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--min-lr-ratio", type=float, default=0.1, help="cosine decays to lr*this")
    p.add_argument("--warmup", type=int, default=8, help="linear warm-up steps")
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--clip", type=float, default=1.0, help="gradient norm clip")
    p.add_argument("--epochs", type=float, default=1.0, help="passes over the training split (fractions allowed)")
    p.add_argument("--epoch-offset", type=int, default=0,
                   help="shuffle as epochs N, N+1, ... (a warm restart's second pass sees a new order; "
                        "the held-out split, which follows --seed, stays the same)")
    p.add_argument("--max-steps", type=int, default=0, help="stop (and end the schedule) at this step; 0 = from --epochs")
    p.add_argument("--max-minutes", type=float, default=0, help="wall-clock budget of this invocation; 0 = none")
    p.add_argument("--batch-tokens", type=int, default=1024, help="padded tokens per batch")
    p.add_argument("--max-batch", type=int, default=16, help="sequences per batch")
    p.add_argument("--max-len", type=int, default=384, help="longer sequences are cut")
    p.add_argument("--heldout", type=float, default=0.03, help="fraction of conversations held out")
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--eval-max", type=int, default=96, help="held-out examples per evaluation")
    p.add_argument("--ckpt-every", type=int, default=25)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--adapter-type", choices=["f16", "f32"], default="f16")
    p.add_argument("--git-commit", default="", help="recorded in the manifest (default: HEAD, git describe --dirty)")
    p.add_argument("--name", default="purrd cat LoRA")
    p.add_argument("--init-from", default="",
                   help="start the LoRA weights from another run's checkpoint.pt, or from an adapter GGUF this "
                        "trainer wrote (e.g. the committed one: its F16 numbers, its recorded data and settings), "
                        "same rank, alpha, targets and layers, with a fresh optimizer and schedule: a warm restart")
    p.add_argument("--init-grow", action="store_true",
                   help="with --init-from: this run may adapt more layers than that run did; the new layers' LoRA "
                        "starts at peft's init (B = 0), so the model starts exactly where that run ended")
    p.add_argument("--prior-data", default="",
                   help="with --init-from on other data than the first run's: that run's train.jsonl, to check "
                        "that none of this run's held-out examples was trained on there")
    p.add_argument("--only", default="",
                   help="train only on examples whose id starts with one of these comma-separated prefixes "
                        "(e.g. rated. for the conversations of rated.*.conv); held out as without it")
    p.add_argument("--replay", type=float, default=0.0,
                   help="with --only: also this fraction of the other training examples (chosen by --seed), "
                        "so the rest of what the start learnt is rehearsed")
    p.add_argument("--rejected", default="",
                   help="preference training (DPO): JSONL of the rejected replies, each record with the id of "
                        "the --data record (the chosen reply) it pairs with")
    p.add_argument("--beta", type=float, default=0.1, help="with --rejected: DPO's beta")
    p.add_argument("--sft-weight", type=float, default=0.0,
                   help="with --rejected: weight of the chosen replies' own loss (per token) added to DPO's")
    p.add_argument("--repeats", default="",
                   help="with --rejected: also pairs from this JSONL of conversations (e.g. the start model's "
                        "training set), the rejected reply a copy of an earlier reply of the cat's in the same "
                        "conversation; trained on, never held out")
    p.add_argument("--repeats-max", type=int, default=0, help="with --repeats: at most this many pairs (0 = all)")
    p.add_argument("--stop-after", type=int, default=0,
                   help="stop after this many steps in this invocation (the run resumes later; tests use it)")
    a = p.parse_args(argv)
    if a.alpha <= 0:
        a.alpha = 2.0 * a.rank
    if not a.adapter:
        a.adapter = os.path.join(a.out, "adapter.lora.gguf")
    return a


class Log:
    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8")

    def __call__(self, msg):
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        self.f.write(line + "\n")
        self.f.flush()


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    # Deterministic kernels where torch has them; warn_only keeps an op
    # without one from stopping a long run.
    torch.use_deterministic_algorithms(True, warn_only=True)


def fmt_time(s):
    s = int(s)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def select_only(train, a, log):
    """The training examples --only names, plus --replay of the others.
    The held-out split is not touched: the held-out loss still measures
    every topic, so forgetting shows there."""
    prefixes = tuple(p for p in a.only.split(",") if p)
    chosen = [e for e in train if e.id.startswith(prefixes)]
    if not chosen:
        raise SystemExit(f"train: --only {a.only}: no training example's id starts with it")
    others = [e for e in train if not e.id.startswith(prefixes)]
    if not 0 <= a.replay <= 1:
        raise SystemExit(f"train: --replay {a.replay}: want a fraction from 0 to 1")
    replayed = random.Random(a.seed).sample(others, int(round(len(others) * a.replay)))
    log(f"--only {a.only}: {len(chosen)} examples, plus {len(replayed)} of the other {len(others)} replayed")
    return chosen + replayed


def build_plan(train, a):
    """The whole run's batches in order: step k trains on plan[k]."""
    plan = []
    whole = int(math.floor(a.epochs))
    for ep in range(max(whole, 1) + (1 if a.epochs > whole else 0)):
        b = data.epoch_batches(train, a.batch_tokens, a.max_batch, a.seed, ep + a.epoch_offset)
        if ep >= whole and a.epochs > whole:
            b = b[: max(1, int(round(len(b) * (a.epochs - whole))))]
        plan.extend(b)
    if a.max_steps > 0:
        while len(plan) < a.max_steps:  # more steps than epochs give: keep going
            plan.extend(data.epoch_batches(train, a.batch_tokens, a.max_batch, a.seed, len(plan) + 1000))
        plan = plan[: a.max_steps]
    return plan


def lr_lambda(total, warmup, min_ratio):
    def f(step):
        if step < warmup:
            return (step + 1) / warmup
        prog = (step - warmup) / max(1, total - warmup)
        return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * min(1.0, prog)))

    return f


def masked_loss(body, lm_head, softcap, batch, reduction="mean", states=False):
    """Cross-entropy on the loss tokens only; with states, also the final
    hidden states at the positions that predict them (rerank.py's
    features).

    The 262k-wide vocabulary projection is the costliest matmul of the
    step, so it runs on the gathered loss positions alone instead of on
    every position of the batch.
    """
    ids, attn, rows, cols, targets = batch
    h = body(input_ids=ids, attention_mask=attn).last_hidden_state
    at = h[rows, cols]
    logits = lm_head(at)
    if softcap:
        logits = torch.tanh(logits / softcap) * softcap
    loss = F.cross_entropy(logits.float(), targets, reduction=reduction)
    return (loss, at) if states else loss


def evaluate(body, lm_head, softcap, held, a, pad_id):
    if not held:
        return float("nan")
    ex = held[: a.eval_max]
    batches = data.epoch_batches(ex, a.batch_tokens, a.max_batch, a.seed, -1)
    total, n = 0.0, 0
    with torch.no_grad():
        for b in batches:
            batch = data.collate(ex, b, pad_id)
            total += masked_loss(body, lm_head, softcap, batch, reduction="sum").item()
            n += len(batch[4])
    return total / max(1, n)


def lora_config(peft, rank, alpha, dropout, targets: str, layers: str):
    """The LoRA of a run: its rank and alpha on the comma-separated target
    modules of the decoder layers "lo-hi" (all when empty). A checkpoint's
    fingerprint holds these settings, so rerank.py rebuilds the same one."""
    layer_list = None
    if layers:
        lo, _, hi = layers.partition("-")
        layer_list = list(range(int(lo), int(hi or lo) + 1))
    return peft.LoraConfig(r=rank, lora_alpha=alpha, lora_dropout=dropout,
                           target_modules=[t for t in targets.split(",") if t],
                           layers_to_transform=layer_list, bias="none", init_lora_weights=True)


def with_lora(model, rank, alpha, targets: str, layers: str, weights: dict, source: str):
    """model with a LoRA of these settings (lora_config) holding weights
    (a checkpoint's "lora", or adapter_gguf.read's), in eval mode, for
    the tools that read the cat through a trained adapter (rerank.py,
    compare.py). ValueError names a weight that does not fit."""
    import peft
    pm = peft.get_peft_model(model, lora_config(peft, rank, alpha, 0.0, targets, layers))
    own = dict(pm.named_parameters())
    with torch.no_grad():
        for n, t in weights.items():
            if n not in own or own[n].shape != t.shape:
                raise ValueError(f"{source}: {n} does not fit this model")
            own[n].copy_(t)
    pm.eval()
    return pm


def layer_of(name: str):
    """The decoder layer a LoRA parameter belongs to, or None."""
    m = re.search(r"\.layers\.(\d+)\.", name)
    return int(m.group(1)) if m else None


def load_init(path: str, lm, base_sha: str, alpha: float) -> dict:
    """What --init-from starts from, as a checkpoint holds it: "lora" (peft
    parameter name -> tensor), "fingerprint" (data_sha256, base_sha256,
    hyper) and "state" (step). An adapter GGUF gives the numbers the engine
    applies and the fingerprint its metadata recorded, so a run can go on
    from the committed adapter on a machine without its checkpoint."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic != b"GGUF":
        return torch.load(path, weights_only=False)
    try:
        g_alpha, _, _, _, lora, meta = adapter_gguf.read(path, lm)
    except ValueError as err:
        raise SystemExit(f"train: --init-from {path}: {err}")
    g_base = meta.get("base_sha256", "")
    try:
        hyper = json.loads(meta.get("hyper_parameters", ""))
    except ValueError:
        hyper = None
    merged = not meta.get("data_sha256") and bool(meta.get("merge_sources"))
    if merged:
        # A merge (merge.py) learnt nothing itself; its sources did, each
        # with its own manifest. check_prior_data then checks the held-out
        # split against the supervised data given as --prior-data, and the
        # manifest test follows the sources' manifests to their data.
        try:
            sources = json.loads(meta["merge_sources"])
        except ValueError as err:
            raise SystemExit(f"train: --init-from {path}: purrd.train.merge_sources: {err}")
        hyper = {}
    elif not meta.get("data_sha256") or not isinstance(hyper, dict):
        raise SystemExit(f"train: --init-from {path}: no purrd.train.data_sha256 or purrd.train.hyper_parameters: "
                         f"not an adapter this trainer wrote, so its held-out split cannot be checked")
    if g_base != base_sha:
        raise SystemExit(f"train: --init-from {path} was trained on base {g_base[:12] or '(not recorded)'}, "
                         f"--base is {base_sha[:12]}")
    if not math.isclose(g_alpha, alpha, rel_tol=1e-6):  # the file keeps a float32
        raise SystemExit(f"train: --init-from {path} has LoRA alpha {g_alpha:g}, this run {alpha:g}: "
                         f"the same numbers would mean another adapter")
    if merged:
        return {"lora": lora, "fingerprint": {"data_sha256": "", "base_sha256": g_base, "hyper": hyper,
                                              "merge_sources": sources},
                "state": {"step": 0}}
    return {"lora": lora, "fingerprint": {"data_sha256": meta["data_sha256"], "base_sha256": g_base, "hyper": hyper},
            "state": {"step": int(meta.get("steps", 0))}}


def check_prior_data(a, prior: dict, data_sha: str, held: list, vocab: int):
    """A warm restart on grown or changed data is honest only if nothing
    this run holds out was trained on by the run it starts from. The split
    follows the conversation id, so it holds when the seed and fraction are
    the same and no new or changed held-out example has the tokens of one
    of the first run's training examples (an edited file can move a
    conversation to a new id).
    Returns what was checked, for the manifest; None when the data is the
    first run's own."""
    prior_sha = prior.get("data_sha256", "")
    merged = "merge_sources" in prior
    if prior_sha == data_sha and not merged:
        return None
    if not a.prior_data:
        if merged:
            raise SystemExit(f"train: --init-from {a.init_from} is a merge: give the supervised data its sources "
                             f"learnt from (an export of training/data) as --prior-data so the held-out split can be checked")
        raise SystemExit(f"train: --init-from {a.init_from} was trained on data {prior_sha[:12]}, this run's is "
                         f"{data_sha[:12]}: give that run's train.jsonl as --prior-data so the held-out split can be checked")
    got = gguf_model.sha256_file(a.prior_data)
    if merged:
        # A merge records its sources, not their data or how they split it:
        # --prior-data stands for the supervised data they learnt from, and
        # its hash goes in the fingerprint. That their seed and held-out
        # fraction are this run's is in their manifests, not checked here.
        prior["data_sha256"] = prior_sha = got
    if got != prior_sha:
        raise SystemExit(f"train: --prior-data {a.prior_data} has sha256 {got[:12]}; "
                         f"the run in --init-from was trained on {prior_sha[:12]}")
    ph = prior.get("hyper", {})
    if not merged and (ph.get("seed") != a.seed or ph.get("heldout") != a.heldout):
        raise SystemExit(f"train: --init-from {a.init_from} split its data with seed {ph.get('seed')} and held out "
                         f"{ph.get('heldout')}; this run must use the same (--seed {a.seed}, --heldout {a.heldout})")
    prior_all = data.load_jsonl(a.prior_data, vocab, a.max_len)
    prior_train, _ = data.split(prior_all, a.heldout, a.seed)
    trained = {e.ids for e in prior_train}
    same = {e.id: e.ids for e in prior_all}
    # An example the first run had under the same id was held out there
    # too; only new or changed ones can bring trained text into the split.
    fresh = [e for e in held if same.get(e.id) != e.ids]
    leaked = [e.id for e in fresh if e.ids in trained]
    if leaked:
        raise SystemExit(f"train: {len(leaked)} held-out examples of this run were trained on by --init-from's run "
                         f"(e.g. {leaked[0]}): its held-out loss would flatter it")
    return {"prior_data_sha256": prior_sha, "prior_train_examples": len(prior_train),
            "heldout_examples": len(held), "heldout_new_or_changed": len(fresh), "heldout_seen_by_prior": 0}


def main(argv=None):
    global T_START
    # The budget counts from process start (imports and model loading take
    # real minutes here); a later call in the same process starts afresh.
    t_start, T_START = T_START, time.time()
    a = parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    log = Log(os.path.join(a.out, "train.log"))
    torch.set_num_threads(a.threads)
    seed_everything(a.seed)

    import peft
    import transformers

    log(f"hashing {a.data} and {a.base}")
    data_sha = gguf_model.sha256_file(a.data)
    base_sha = gguf_model.sha256_file(a.base)
    log("loading base model (dequantizing to float32)")
    lm = gguf_model.load(a.base)
    model = lm.model
    for p in model.parameters():
        p.requires_grad_(False)
    vocab = model.config.vocab_size
    pad_id = model.config.pad_token_id or 0
    softcap = getattr(model.config, "final_logit_softcapping", None)

    examples = data.load_jsonl(a.data, vocab, a.max_len)
    partner, rejected_sha = {}, ""
    if a.rejected:
        if a.only or a.replay:
            raise SystemExit("train: --rejected trains on pairs; --only and --replay are for replies alone")
        rejected_sha = gguf_model.sha256_file(a.rejected)
        examples, partner = preference.paired(examples, data.load_jsonl(a.rejected, vocab, a.max_len), log)
    elif a.repeats:
        raise SystemExit("train: --repeats goes with --rejected")
    train, held = data.split(examples, a.heldout, a.seed)
    repeats_sha = ""
    if a.repeats:
        repeats_sha = gguf_model.sha256_file(a.repeats)
        more, more_partner = preference.repeat_pairs(data.load_jsonl(a.repeats, vocab, a.max_len), a.repeats_max,
                                                     a.seed, log)
        train, partner = train + more, {**partner, **more_partner}
    if a.only:
        train = select_only(train, a, log)
    elif a.replay:
        raise SystemExit("train: --replay goes with --only")
    plan = build_plan(train, a)
    total_steps = len(plan)
    log(f"{len(train)} train / {len(held)} held-out examples; {total_steps} steps "
        f"({sum(e.loss_tokens for e in train)} loss tokens per epoch)")

    cfg = lora_config(peft, a.rank, a.alpha, a.dropout, a.targets, a.layers)
    targets = [t for t in a.targets.split(",") if t]  # in order, for the log
    torch.manual_seed(a.seed)  # LoRA A init
    pmodel = peft.get_peft_model(model, cfg)
    base = pmodel.base_model.model
    body, lm_head = base.model, base.lm_head
    params = [p for p in pmodel.parameters() if p.requires_grad]
    names = [n for n, p in pmodel.named_parameters() if p.requires_grad]
    log(f"LoRA r={a.rank} alpha={a.alpha:g} on {targets}: {sum(p.numel() for p in params)} trainable parameters")
    opt = torch.optim.AdamW(params, lr=a.lr, weight_decay=a.weight_decay, betas=(0.9, 0.999))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(total_steps, a.warmup, a.min_lr_ratio))

    # What shapes the result; the files themselves are identified by hash,
    # so a moved data file or model still resumes.
    hyper = {k: v for k, v in vars(a).items() if k not in (
        "base", "data", "out", "adapter", "max_minutes", "git_commit", "name", "eval_every", "ckpt_every",
        "threads", "stop_after", "init_from", "prior_data", "init_grow")}
    if not a.epoch_offset:
        del hyper["epoch_offset"]  # runs before the option keep their fingerprint
    for k in ("only", "replay"):
        if not hyper[k]:
            del hyper[k]  # likewise
    del hyper["rejected"], hyper["repeats"]  # paths; their hashes are what counts
    if a.repeats:
        hyper["repeats_sha256"] = repeats_sha
    else:
        del hyper["repeats_max"]
    if a.rejected:
        hyper["rejected_sha256"] = rejected_sha
    else:
        del hyper["beta"], hyper["sft_weight"]
    init_sha, prior, prior_check = "", {}, None
    if a.init_from:
        # The path is where it happens to lie; the file is what shapes the
        # result, so its hash goes in the fingerprint and the manifest.
        init_sha = gguf_model.sha256_file(a.init_from)
        hyper["init_from_sha256"] = init_sha
        init = load_init(a.init_from, lm, base_sha, a.alpha)
        own = dict(pmodel.named_parameters())
        have, want = set(init["lora"]), set(names)
        fresh_layers = sorted({layer_of(n) for n in want - have})
        if not (have <= want and (have == want or a.init_grow)) or None in fresh_layers \
                or fresh_layers and set(fresh_layers) & {layer_of(n) for n in have}:
            raise SystemExit(f"train: --init-from {a.init_from}: its LoRA tensors do not match this run's "
                             f"(rank and targets must be the same, and the layers too unless --init-grow "
                             f"adds whole layers: {len(have - want)} of its tensors are not in this run, "
                             f"{len(want - have)} of this run's are not in it)")
        if fresh_layers:
            log(f"layers {fresh_layers} are new to this run: their LoRA starts at B = 0")
        with torch.no_grad():
            for n, t in init["lora"].items():
                if own[n].shape != t.shape:
                    raise SystemExit(f"train: --init-from {a.init_from}: {n} is {tuple(t.shape)}, "
                                     f"this run's is {tuple(own[n].shape)}")
                own[n].copy_(t)
        prior = init.get("fingerprint", {})
        prior_check = check_prior_data(a, prior, data_sha, held, vocab)
        log(f"LoRA weights from {a.init_from} (sha256 {init_sha[:12]}, trained {init['state']['step']} steps "
            f"on data {prior.get('data_sha256', '?')[:12]}, settings {json.dumps(prior.get('hyper', {}), sort_keys=True)})")
    fingerprint = {"data_sha256": data_sha, "base_sha256": base_sha, "hyper": hyper}
    state = {"step": 0, "tokens": 0, "loss_tokens": 0, "train_seconds": 0.0, "last_loss": float("nan"),
             "eval_loss": float("nan"), "first_eval_loss": float("nan")}
    ckpt_path = os.path.join(a.out, CKPT)
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, weights_only=False)
        if ck["fingerprint"] != fingerprint:
            raise SystemExit(f"train: {ckpt_path} was made with other data, base model or settings; "
                             f"use another --out or delete it to start over")
        own = dict(pmodel.named_parameters())
        with torch.no_grad():
            for n, t in ck["lora"].items():
                own[n].copy_(t)
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        state = ck["state"]
        torch.set_rng_state(ck["rng"]["torch"])
        random.setstate(ck["rng"]["python"])
        np.random.set_state(ck["rng"]["numpy"])
        log(f"resumed from {ckpt_path} at step {state['step']}")

    def save_checkpoint():
        own = dict(pmodel.named_parameters())
        ck = {"fingerprint": fingerprint, "lora": {n: own[n].detach().clone() for n in names},
              "opt": opt.state_dict(), "sched": sched.state_dict(), "state": state,
              "rng": {"torch": torch.get_rng_state(), "python": random.getstate(), "numpy": np.random.get_state()}}
        tmp = ckpt_path + ".tmp"
        torch.save(ck, tmp)
        os.replace(tmp, ckpt_path)

    stop = {"why": ""}

    def on_signal(sig, _frame):
        stop["why"] = signal.Signals(sig).name

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    def token_loss(batch):
        return masked_loss(body, lm_head, softcap, batch, reduction="none")

    def eval_note():
        return f", chosen ahead in {state['eval_accuracy']:.0%} of held-out pairs" if a.rejected else ""

    if a.rejected and "ref" not in state:
        # The reference is the model as the run starts; kept in the
        # checkpoint, so a resumed run compares with the same one.
        pmodel.eval()
        state["ref"] = preference.reference(token_loss, train + held, partner, pad_id)
        log(f"reference log-probabilities of {len(state['ref'])} pairs")

    def run_eval():
        if a.rejected:
            l, acc = preference.evaluate(token_loss, held[: a.eval_max], partner, state["ref"], a.beta, pad_id)
            state["eval_accuracy"] = acc
            return l
        return evaluate(body, lm_head, softcap, held, a, pad_id)

    if state["step"] == 0 and held:
        pmodel.eval()
        state["first_eval_loss"] = state["eval_loss"] = run_eval()
        log(f"eval before training: loss {state['eval_loss']:.4f}{eval_note()}")

    budget = a.max_minutes * 60 if a.max_minutes > 0 else float("inf")
    t_loop = time.time()
    steps_here, step_seconds = 0, 0.0
    pmodel.train()
    while state["step"] < total_steps:
        if stop["why"]:
            log(f"stopping on {stop['why']}")
            break
        if a.stop_after and steps_here >= a.stop_after:
            stop["why"] = "stop-after"
            break
        avg = step_seconds / steps_here if steps_here else 0.0
        # Leave room for one more step plus writing the adapter.
        if time.time() - t_start + avg * 1.5 + 10 > budget:
            stop["why"] = "max-minutes"
            log(f"time budget of {a.max_minutes:g} min reached at step {state['step']}")
            break
        t0, c0 = time.time(), time.process_time()
        if a.rejected:
            loss, acc, ntok, nloss = preference.loss(token_loss, [train[i] for i in plan[state["step"]]], partner,
                                                     state["ref"], a.beta, a.sft_weight, pad_id)
        else:
            batch = data.collate(train, plan[state["step"]], pad_id)
            loss = masked_loss(body, lm_head, softcap, batch)
            ntok, nloss, acc = int(batch[1].sum()), len(batch[4]), None
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gnorm = torch.nn.utils.clip_grad_norm_(params, a.clip)
        opt.step()
        sched.step()
        dt, cpu = time.time() - t0, time.process_time() - c0
        steps_here += 1
        step_seconds += dt
        state["step"] += 1
        state["tokens"] += ntok
        state["loss_tokens"] += nloss
        state["train_seconds"] += dt
        state["train_cpu_seconds"] = state.get("train_cpu_seconds", 0.0) + cpu
        state["last_loss"] = loss.item()
        avg = step_seconds / steps_here
        eta = avg * (total_steps - state["step"])
        log(f"step {state['step']}/{total_steps} loss {state['last_loss']:.4f} gnorm {float(gnorm):.3f} "
            + (f"chosen ahead {acc:.0%} " if acc is not None else "") +
            f"lr {sched.get_last_lr()[0]:.2e} tok {ntok} ({nloss} loss) {ntok / dt:.1f} tok/s "
            f"{dt:.2f} s/step ({cpu:.2f} cpu-s) elapsed {fmt_time(time.time() - t_start)} eta {fmt_time(eta)}")
        if held and a.eval_every > 0 and state["step"] % a.eval_every == 0:
            pmodel.eval()
            state["eval_loss"] = run_eval()
            pmodel.train()
            log(f"eval at step {state['step']}: loss {state['eval_loss']:.4f}{eval_note()}")
        if a.ckpt_every > 0 and state["step"] % a.ckpt_every == 0:
            save_checkpoint()

    pmodel.eval()
    if held:
        state["eval_loss"] = run_eval()
        log(f"final eval loss {state['eval_loss']:.4f} (before training {state['first_eval_loss']:.4f}){eval_note()}")
    save_checkpoint()

    meta = {
        "name": a.name,
        "seed": a.seed,
        "data_sha256": data_sha,
        "base_sha256": base_sha,
        "base_file": os.path.basename(a.base),
        "data_file": os.path.basename(a.data),
        "hyper_parameters": json.dumps(hyper, sort_keys=True),
        "steps": state["step"],
        "planned_steps": total_steps,
        "tokens_seen": state["tokens"],
        "loss_tokens_seen": state["loss_tokens"],
        "final_train_loss": float(state["last_loss"]),
        "final_eval_loss": float(state["eval_loss"]),
        "initial_eval_loss": float(state["first_eval_loss"]),
        "train_seconds": round(state["train_seconds"], 1),
        # CPU seconds tell the cost on a busy shared machine, where wall
        # time says more about the neighbours than about the run.
        "train_cpu_seconds": round(state.get("train_cpu_seconds", 0.0), 1),
        "wall_seconds_this_run": round(time.time() - t_start, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "stopped_by": stop["why"] or "done",
        "torch_version": torch.__version__,
        "transformers_version": transformers.__version__,
        "peft_version": peft.__version__,
        "python_version": platform.python_version(),
        "git_commit": gguf_model.git_commit(a.git_commit),
        "train_examples": len(train),
        "heldout_examples": len(held),
    }
    if a.rejected:
        meta["rejected_sha256"] = rejected_sha
        meta["rejected_file"] = os.path.basename(a.rejected)
        meta["final_eval_accuracy"] = float(state.get("eval_accuracy", float("nan")))
    if a.repeats:
        meta["repeats_sha256"] = repeats_sha
        meta["repeats_file"] = os.path.basename(a.repeats)
    if a.init_from:
        meta["init_from_sha256"] = init_sha
        meta["init_from_fingerprint"] = json.dumps(prior, sort_keys=True)
        if prior_check:
            meta["init_from_data_check"] = json.dumps(prior_check, sort_keys=True)
    pairs = adapter_gguf.lora_pairs(lm, pmodel)
    if not pairs:
        raise SystemExit("train: no LoRA tensor maps to a GGUF tensor")
    os.makedirs(os.path.dirname(os.path.abspath(a.adapter)), exist_ok=True)
    tmp = a.adapter + ".tmp"
    adapter_gguf.write(tmp, lm.arch, a.alpha, pairs, lm.gguf_shapes, meta, a.adapter_type)
    os.replace(tmp, a.adapter)
    manifest = dict(meta)
    manifest["hyper_parameters"] = hyper
    manifest["adapter_file"] = os.path.basename(a.adapter)
    manifest["adapter_sha256"] = gguf_model.sha256_file(a.adapter)
    manifest["adapter_bytes"] = os.path.getsize(a.adapter)
    manifest["adapter_tensor_type"] = a.adapter_type
    manifest["lora_alpha"] = a.alpha
    manifest["lora_rank"] = a.rank
    manifest["architecture"] = lm.arch
    mpath = os.path.join(os.path.dirname(os.path.abspath(a.adapter)), "MANIFEST.json")
    with open(mpath + ".tmp", "w", encoding="utf-8") as f:
        # NaN (no step trained) is not JSON: other tools read this file.
        clean = {k: (None if isinstance(v, float) and v != v else v) for k, v in manifest.items()}
        json.dump(clean, f, indent=2, sort_keys=True, allow_nan=False)
        f.write("\n")
    os.replace(mpath + ".tmp", mpath)
    log(f"wrote {a.adapter} ({manifest['adapter_bytes']} bytes, {len(pairs)} adapted tensors) and {mpath}; "
        f"peak RSS {manifest['peak_rss_mb']:.0f} MB")
    return manifest


if __name__ == "__main__":
    main()
