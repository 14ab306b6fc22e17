"""CI smoke of the training pipeline on tiny random models (`make train-smoke`).

    python training/trainer/tests/smoke.py WORKDIR [TINY_LLAMA.gguf]

For a tiny gemma3 GGUF written here and, when given, the tiny llama GGUF
from the project's Go generator: train a few steps, check the adapter GGUF
against the rules llama.cpp applies when loading it, and check that a run
stopped and resumed gives the very same adapter as an uninterrupted one.
For a tiny qwen2 GGUF (biases, tied embeddings): the loader keeps its
biases and a few steps give a valid adapter.
"""

import json
import math
import os
import shutil
import sys

import numpy as np
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import fixtures  # noqa: E402
import train  # noqa: E402

TARGETS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]


def field(r, key):
    f = r.fields.get(key)
    return None if f is None else f.contents()


def check_adapter(adapter, base, rank, alpha, steps):
    a = gguf.GGUFReader(adapter)
    b = gguf.GGUFReader(base)
    arch = field(b, "general.architecture")
    assert field(a, "general.architecture") == arch, "architecture differs from the base model"
    assert field(a, "general.type") == "adapter"
    assert field(a, "adapter.type") == "lora"
    assert abs(field(a, "adapter.lora.alpha") - alpha) < 1e-6
    assert field(a, "purrd.train.steps") == steps
    assert len(field(a, "purrd.train.data_sha256")) == 64
    base_ne = {t.name: [int(x) for x in t.shape] for t in b.tensors}
    got = {t.name: t for t in a.tensors}
    layers = field(b, f"{arch}.block_count")
    want = {f"blk.{i}.{t}.weight" for i in range(layers) for t in TARGETS}
    pairs = {n.rsplit(".", 1)[0] for n in got}
    assert pairs == want, f"adapted tensors {sorted(pairs ^ want)[:4]} differ from the expected set"
    for name in want:
        la, lb = got[name + ".lora_a"], got[name + ".lora_b"]
        ne_w, ne_a, ne_b = base_ne[name], [int(x) for x in la.shape], [int(x) for x in lb.shape]
        # The checks of llama_adapter_lora_init_impl (src/llama-adapter.cpp).
        assert ne_w[0] == ne_a[0] and ne_w[1] == ne_b[1], f"{name}: base {ne_w} a {ne_a} b {ne_b}"
        assert ne_a[1] == ne_b[0] == rank, f"{name}: rank {ne_a[1]} / {ne_b[0]}, want {rank}"
        assert la.tensor_type == gguf.GGMLQuantizationType.F16
        assert np.isfinite(np.asarray(la.data, dtype=np.float32)).all()
    # LoRA B starts at zero; after training some of it must have moved.
    assert any(np.abs(np.asarray(got[n + ".lora_b"].data, dtype=np.float32)).max() > 0 for n in want)
    return {n: np.asarray(t.data).copy() for n, t in got.items()}


def stops(main, argv, needle, what):
    """main(argv) must stop with a message containing needle; what is the
    failure when it does not."""
    try:
        main(argv)
    except SystemExit as e:
        assert needle in str(e), e
        return
    raise AssertionError(what)


def refused(argv, needle, what):
    """train.py given argv must stop so (stops)."""
    stops(train.main, argv, needle, what)


def run(base, work, extra):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    r = gguf.GGUFReader(base)
    toks = field(r, "tokenizer.ggml.tokens")
    data = os.path.join(work, "train.jsonl")
    fixtures.write_jsonl(data, toks, field(r, "tokenizer.ggml.bos_token_id"), field(r, "tokenizer.ggml.eos_token_id"))
    common = ["--base", base, "--data", data, "--rank", "4", "--max-steps", "6", "--warmup", "2", "--lr", "1e-2",
              "--batch-tokens", "256", "--heldout", "0.25", "--ckpt-every", "2", "--threads", "1"] + extra

    whole = os.path.join(work, "whole")
    m = train.main(common + ["--out", whole])
    assert m["steps"] == 6 and m["stopped_by"] == "done", m
    assert m["heldout_examples"] > 0 and np.isfinite(m["final_eval_loss"])
    with open(os.path.join(whole, "MANIFEST.json")) as f:
        manifest = json.load(f)
    for k in ("seed", "data_sha256", "base_sha256", "hyper_parameters", "tokens_seen", "final_train_loss",
              "final_eval_loss", "peak_rss_mb", "torch_version", "peft_version", "adapter_sha256"):
        assert k in manifest, f"manifest lacks {k}"
    t_whole = check_adapter(os.path.join(whole, "adapter.lora.gguf"), base, 4, 8.0, 6)

    split = os.path.join(work, "split")
    m = train.main(common + ["--out", split, "--stop-after", "3"])
    assert m["steps"] == 3 and m["stopped_by"] == "stop-after", m
    m = train.main(common + ["--out", split])
    assert m["steps"] == 6, m
    t_split = check_adapter(os.path.join(split, "adapter.lora.gguf"), base, 4, 8.0, 6)
    for n in t_whole:
        assert np.array_equal(t_whole[n], t_split[n]), f"{n}: resumed run differs from the uninterrupted one"

    # A warm restart starts where the first run ended: same weights, so the
    # same held-out loss before its first step; its manifest names the start.
    warm = os.path.join(work, "warm")
    m2 = train.main(common + ["--out", warm, "--epoch-offset", "1", "--init-from", os.path.join(whole, "checkpoint.pt")])
    assert abs(m2["initial_eval_loss"] - manifest["final_eval_loss"]) < 1e-5, (m2["initial_eval_loss"], manifest["final_eval_loss"])
    assert len(m2["init_from_sha256"]) == 64 and manifest["data_sha256"] in m2["init_from_fingerprint"], m2
    refused(common + ["--out", os.path.join(work, "badinit"), "--rank", "2", "--init-from", os.path.join(whole, "checkpoint.pt")], "init-from", "--init-from with another rank was accepted")
    # From the adapter GGUF instead (a machine without the checkpoint): the
    # same start to F16 rounding, and the fingerprint its metadata kept.
    gguf_init = ["--epoch-offset", "1", "--init-from", os.path.join(whole, "adapter.lora.gguf")]
    m3 = train.main(common + ["--out", os.path.join(work, "warm-gguf")] + gguf_init)
    assert abs(m3["initial_eval_loss"] - manifest["final_eval_loss"]) < 2e-3, (m3["initial_eval_loss"], manifest["final_eval_loss"])
    assert abs(manifest["initial_eval_loss"] - manifest["final_eval_loss"]) > 1e-2, "the smoke run did not move: the check above could not fail"
    assert manifest["data_sha256"] in m3["init_from_fingerprint"], m3
    refused(common + ["--out", os.path.join(work, "badinit-alpha"), "--alpha", "4"] + gguf_init, "alpha", "--init-from an adapter GGUF with another alpha was accepted")
    refused(common + ["--out", os.path.join(work, "badinit-file"), "--init-from", base], "not a LoRA adapter", "--init-from a base model GGUF was accepted")
    check_only(common, work)
    check_preference(common, data, work, t_whole)
    check_merge(base, os.path.join(whole, "adapter.lora.gguf"), os.path.join(work, "pref", "adapter.lora.gguf"), work)
    check_grown_layers(common, work)
    check_grown_data(common, data, whole, work, field(r, "tokenizer.ggml.bos_token_id"))
    check_rerank(base, data, os.path.join(whole, "checkpoint.pt"), os.path.join(whole, "adapter.lora.gguf"), work)
    check_compare(base, data, os.path.join(whole, "adapter.lora.gguf"), os.path.join(work, "pref", "adapter.lora.gguf"),
                  os.path.join(work, "truncated.lora.gguf"), work)
    check_merge_start(common, data, work)
    print(f"smoke ok: {base}: {len(t_whole) // 2} adapted tensors, eval loss {m['initial_eval_loss']:.3f} -> {m['final_eval_loss']:.3f}")


def check_merge(base, first, second, work):
    """merge.py: the merged adapter's change to every weight is the weighted
    mean of the sources' (alpha / r * B A), it passes the loader's rules at
    the summed rank, its manifest says what the file and its metadata
    say, and a file that is no adapter is refused."""
    import gguf_model
    import merge
    out = os.path.join(work, "merged.lora.gguf")
    manifest_path = os.path.join(work, "merged.MANIFEST.json")
    merge.main(["--base", base, "--out", out, "--manifest", manifest_path, first + ":0.25", second + ":0.75"])
    merged = gguf.GGUFReader(out)
    assert field(merged, "general.architecture") == field(gguf.GGUFReader(base), "general.architecture")
    sources = json.loads(field(merged, "purrd.train.merge_sources"))
    assert [s["weight"] for s in sources] == [0.25, 0.75] and all(len(s["sha256"]) == 64 for s in sources), sources
    assert [s["sha256"] for s in sources] == [gguf_model.sha256_file(first), gguf_model.sha256_file(second)], sources
    with open(manifest_path, encoding="utf-8") as f:
        mf = json.load(f)
    assert mf["merge_sources"] == sources, (mf["merge_sources"], sources)
    assert mf["adapter_sha256"] == gguf_model.sha256_file(out) and mf["adapter_bytes"] == os.path.getsize(out), mf
    assert mf["base_sha256"] == gguf_model.sha256_file(base) and mf["adapter_file"] == "merged.lora.gguf", mf

    def delta(path):
        r = gguf.GGUFReader(path)
        t = {x.name: np.asarray(x.data, dtype=np.float32) for x in r.tensors}
        rank = next(v.shape[0] for k, v in t.items() if k.endswith(".lora_a"))
        scale = field(r, "adapter.lora.alpha") / rank
        return rank, {k[:-7]: scale * t[k[:-7] + ".lora_b"] @ v for k, v in t.items() if k.endswith(".lora_a")}
    r1, d1 = delta(first)
    r2, d2 = delta(second)
    rm, dm = delta(out)
    assert rm == r1 + r2 and d1.keys() == dm.keys(), (rm, r1, r2)
    assert mf["lora_rank"] == rm and mf["lora_alpha"] == field(merged, "adapter.lora.alpha"), mf
    moved = 0.0
    for k in dm:
        want = 0.25 * d1[k] + 0.75 * d2[k]
        err = np.abs(dm[k] - want).max()
        assert err <= 2e-3 * max(1.0, np.abs(want).max()), f"{k}: merged change off by {err}"
        moved = max(moved, np.abs(d1[k] - d2[k]).max())
    assert moved > 1e-3, "the two sources are the same: the mean could not be told from either"
    stops(merge.main, ["--base", base, "--out", os.path.join(work, "bad-merge.gguf"), first, base],
          "not a LoRA adapter", "merge.py took a base model for an adapter")
    # --take writes a source back out: its run's metadata from the
    # manifest beside it, its A as it was, its B to F16's rounding (the
    # merge stored B times the source's weight and scale, in F16).
    import adapter_gguf
    for k, src in enumerate((first, second)):
        back = os.path.join(work, f"taken-{k}.lora.gguf")
        merge.main(["--base", base, "--out", back, "--take", str(k),
                    "--source-manifest", os.path.join(os.path.dirname(src), "MANIFEST.json"), out])
        _, a_src, r_src, p_src, m_src = adapter_gguf.read_pairs(src)
        _, a_back, r_back, p_back, m_back = adapter_gguf.read_pairs(back)
        assert (a_back, r_back, m_back) == (a_src, r_src, m_src), (k, a_back, r_back, sorted(m_back))
        for n, (a, b) in p_src.items():
            assert np.array_equal(p_back[n][0], a), f"{n}: A of source {k} changed"
            off = np.abs(p_back[n][1] - b) - (np.abs(b) * 2.0 ** -10 + 1e-6)
            assert off.max() <= 0, f"{n}: B of source {k} off by {off.max()} beyond F16 rounding"
    stops(merge.main, ["--base", base, "--out", os.path.join(work, "bad-take.gguf"), "--take", "0",
                       "--source-manifest", os.path.join(os.path.dirname(second), "MANIFEST.json"), out],
          "describes", "merge.py --take wrote source 0 out under the other source's manifest")
    check_merge_rank(base, first, second, work, d1, d2, r1 + r2)


def check_merge_rank(base, first, second, work, d1, d2, summed):
    """merge.py --rank: each change is the closest of that rank to the
    merged one (its error is the tail of the singular values, no more),
    the file has that rank and records what was lost, and --take, which
    needs the stacked sources, refuses it."""
    import merge
    rank = summed // 2
    out = os.path.join(work, "truncated.lora.gguf")
    manifest_path = os.path.join(work, "truncated.MANIFEST.json")
    merge.main(["--base", base, "--out", out, "--manifest", manifest_path, "--rank", str(rank),
                first + ":0.25", second + ":0.75"])
    with open(manifest_path, encoding="utf-8") as f:
        mf = json.load(f)
    t = mf["merge_truncated"]
    assert mf["lora_rank"] == rank and t["rank_before"] == summed, mf
    assert json.loads(field(gguf.GGUFReader(out), "purrd.train.merge_truncated")) == t, t
    r = gguf.GGUFReader(out)
    tensors = {x.name: np.asarray(x.data, dtype=np.float32) for x in r.tensors}
    scale = field(r, "adapter.lora.alpha") / rank
    lost = total = 0.0
    for k in d1:
        a, b = tensors[k + ".lora_a"], tensors[k + ".lora_b"]
        assert a.shape[0] == rank and b.shape[1] == rank, (k, a.shape, b.shape)
        want = (0.25 * d1[k] + 0.75 * d2[k]).astype(np.float64)
        sv = np.linalg.svd(want, compute_uv=False)
        tail = float(np.sqrt(np.sum(sv[rank:] ** 2)))
        err = float(np.linalg.norm(scale * (b.astype(np.float64) @ a) - want))
        # Optimal up to F16's rounding of the two factors.
        assert err <= tail + 2e-3 * float(np.linalg.norm(want)) + 1e-6, f"{k}: off by {err}, the best of rank {rank} by {tail}"
        lost, total = lost + float(np.sum(sv[rank:] ** 2)), total + float(np.sum(sv ** 2))
    assert abs(t["lost"] - lost / total) <= 1e-3 * max(lost / total, 1e-6) + 1e-9, (t["lost"], lost / total)
    assert 0 < t["lost"] <= t["lost_worst_tensor"] < 1, t
    stops(merge.main, ["--base", base, "--out", os.path.join(work, "take-truncated.gguf"), "--take", "0",
                       "--source-manifest", os.path.join(os.path.dirname(first), "MANIFEST.json"), out],
          "cannot be taken back", "merge.py --take took a source out of a truncated merge")


def check_compare(base, data, first, other, truncated, work):
    """compare.py: an adapter against itself is the same distribution
    (KL 0, every likeliest token the same), against another pass it is
    not, and the report names what it read."""
    import compare
    import gguf_model
    out = os.path.join(work, "compare.json")
    r = compare.main(["--base", base, "--data", data, "--threads", "1", "--out", out, first, first, other, truncated])
    with open(out, encoding="utf-8") as f:
        assert json.load(f) == r
    same, moved, cut = r["against"]
    assert r["tokens"] > 0 and r["first_sha256"] == gguf_model.sha256_file(first), r
    assert abs(same["kl"]) < 1e-6 and same["top1"] == 1.0 and same["dlogp"] < 1e-6, same
    assert moved["kl"] > 1e-4 and moved["dlogp"] > 1e-4, moved
    assert cut["sha256"] == gguf_model.sha256_file(truncated), cut
    stops(compare.main, ["--base", base, "--data", data, first], "two adapters", "compare.py took a single adapter")


def check_only(common, work):
    """--only trains on the examples it names (plus --replay of the
    others), holds out as without it, and records itself in the manifest;
    a prefix that names nothing, or --replay alone, is refused."""
    only = os.path.join(work, "only")
    m = train.main(common + ["--out", only, "--only", "fixture.conv:1#,fixture.conv:2#", "--replay", "0.1"])
    whole = json.load(open(os.path.join(work, "whole", "MANIFEST.json")))
    assert m["heldout_examples"] == whole["heldout_examples"], (m["heldout_examples"], whole["heldout_examples"])
    hyper = json.loads(m["hyper_parameters"]) if isinstance(m["hyper_parameters"], str) else m["hyper_parameters"]
    assert hyper["only"] == "fixture.conv:1#,fixture.conv:2#" and hyper["replay"] == 0.1, hyper
    assert "only" not in (json.loads(whole["hyper_parameters"]) if isinstance(whole["hyper_parameters"], str) else whole["hyper_parameters"])
    log = open(os.path.join(only, "train.log"), encoding="utf-8").read()
    assert "--only fixture.conv:1#,fixture.conv:2#: " in log and " of the other " in log, log[-500:]
    refused(common + ["--out", os.path.join(work, "only-none"), "--only", "nothing."], "no training example", "--only naming nothing was accepted")
    refused(common + ["--out", os.path.join(work, "replay-alone"), "--replay", "0.5"], "--replay goes with --only", "--replay without --only was accepted")


def check_preference(common, data, work, t_whole):
    """--rejected trains on pairs (DPO): the loss starts at log 2 (the
    reference is the start), falls, a resumed run matches an uninterrupted
    one (the reference is kept in the checkpoint), the manifest names the
    rejected file; a partner with another prompt is refused."""
    import preference
    with open(data, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    rej = []
    for o in rows:
        j = preference.last_reply_start(train_data_example(o))
        last = o["ids"][j:-1][::-1] + [o["ids"][-1]]  # the last reply backwards, then the end
        if last == o["ids"][j:]:
            last = [o["ids"][1]] + last
        rej.append(dict(o, ids=o["ids"][:j] + last, mask=o["mask"][:j] + [1] * len(last)))
    rejected = os.path.join(work, "rejected.jsonl")
    with open(rejected, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(o) + "\n" for o in rej)
    args = common + ["--rejected", rejected, "--beta", "0.5"]
    pref = os.path.join(work, "pref")
    m = train.main(args + ["--out", pref])
    log = open(os.path.join(pref, "train.log"), encoding="utf-8").read()
    first = float(log.split("step 1/")[1].split("loss ")[1].split()[0])
    assert abs(first - math.log(2)) < 1e-3, f"first DPO loss {first}, want log 2: the reference is not the start"
    assert m["final_train_loss"] < math.log(2), m["final_train_loss"]
    assert len(m["rejected_sha256"]) == 64 and m["hyper_parameters"]["beta"] == 0.5, m
    split = os.path.join(work, "pref-split")
    train.main(args + ["--out", split, "--stop-after", "3"])
    train.main(args + ["--out", split])
    a, b = check_adapter(os.path.join(pref, "adapter.lora.gguf"), common[1], 4, 8.0, 6), \
        check_adapter(os.path.join(split, "adapter.lora.gguf"), common[1], 4, 8.0, 6)
    for n in a:
        assert np.array_equal(a[n], b[n]), f"{n}: resumed DPO run differs from the uninterrupted one"
    assert any(not np.array_equal(a[n], t_whole[n]) for n in a), "DPO changed nothing"
    other = [dict(o, ids=[o["ids"][0]] + o["ids"][2:], mask=[o["mask"][0]] + o["mask"][2:]) for o in rej]
    moved = os.path.join(work, "rejected-other.jsonl")
    with open(moved, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(o) + "\n" for o in other)
    refused(common + ["--out", os.path.join(work, "pref-other"), "--rejected", moved], "not the chosen one's",
            "a rejected reply to another prompt was accepted")
    refused(args + ["--out", os.path.join(work, "pref-only"), "--only", "fixture."], "--only", "--rejected with --only was accepted")
    assert preference.last_reply_start(train_data_example(rows[0])) > 0
    check_repeats(common, args, rows, work)


def check_repeats(common, args, rows, work):
    """--repeats adds pairs whose rejected reply is a verbatim copy of an
    earlier reply of the cat's in the same conversation (with the
    conversation's end marker): the prefix is the chosen one's, --repeats-max
    caps them, they are trained on and named in the manifest; --repeats
    without --rejected, or a file of one-reply conversations, is refused."""
    import preference
    examples = [train_data_example(o) for o in rows]
    pairs, partner = preference.repeat_pairs(examples, 0, 1, lambda _: None)
    assert pairs, "no repeat pair from the fixture's multi-turn conversations"
    for c in pairs:
        r = partner[c.id]
        spans = preference.reply_spans(c)
        p = spans[-1][0]
        assert c.id.startswith("repeat:") and r.ids[:p] == c.ids[:p] and r.mask[:p] == c.mask[:p], c.id
        copy = r.ids[p:]
        earlier = [c.ids[s:t] for s, t in spans[:-1]]
        assert copy in earlier or copy[:-1] in earlier, f"{c.id}: the rejected reply is no earlier reply"
        assert copy != c.ids[p:] and set(r.mask[p:]) == {1}, c.id
    # A chat template's export ends with an unlossed newline after the
    # end of turn: the copy goes before it, and it stays without loss.
    import data as trainer_data
    e = trainer_data.Example(id="t.conv:1#0", ids=(2, 10, 11, 12, 13, 14, 15, 1, 7), mask=(0, 0, 1, 1, 0, 1, 1, 1, 0))
    _, part = preference.repeat_pairs([e], 0, 1, lambda _: None)
    r = part["repeat:t.conv:1#0"]
    assert r.ids == (2, 10, 11, 12, 13, 11, 12, 1, 7) and r.mask == (0, 0, 1, 1, 0, 1, 1, 1, 0), r
    capped, _ = preference.repeat_pairs(examples, 3, 1, lambda _: None)
    assert len(capped) == 3 and {c.id for c in capped} <= set(partner), [c.id for c in capped]
    data = args[args.index("--data") + 1]
    out = os.path.join(work, "repeats")
    m = train.main(args + ["--out", out, "--repeats", data, "--repeats-max", "3"])
    pref = json.load(open(os.path.join(work, "pref", "MANIFEST.json")))
    assert m["train_examples"] == pref["train_examples"] + 3, (m["train_examples"], pref["train_examples"])
    assert len(m["repeats_sha256"]) == 64 and m["hyper_parameters"]["repeats_max"] == 3, m
    assert "repeats_max" not in pref["hyper_parameters"], pref["hyper_parameters"]
    log = open(os.path.join(out, "train.log"), encoding="utf-8").read()
    first = float(log.split("step 1/")[1].split("loss ")[1].split()[0])
    assert abs(first - math.log(2)) < 1e-3, f"first DPO loss with repeats {first}, want log 2"
    refused(common + ["--out", os.path.join(work, "repeats-alone"), "--repeats", data], "--repeats goes with --rejected",
            "--repeats without --rejected was accepted")
    single = os.path.join(work, "single.jsonl")
    with open(single, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(o) + "\n" for o in rows if len(preference.reply_spans(train_data_example(o))) == 1)
    refused(args + ["--out", os.path.join(work, "repeats-single"), "--repeats", single], "no conversation has two",
            "--repeats from one-reply conversations was accepted")


def check_rerank(base, data, ckpt, adapter, work):
    """rerank.py picks per prompt the reply with the highest score per
    token, (lp - s * prior) / tokens, and over the whole reply, lp - s *
    prior, and reports them beside a random and the raters' best pick; it
    scores every rated conversation of the export under a checkpoint or
    the adapter GGUF made from it (the same up to F16 rounding), keeps
    the features rankstudy.py reads, and refuses a conversation without a
    rating header."""
    import rerank
    import rankstudy
    rows = [("p1", 0, -4.0, -2.0, 2), ("p1", 2, -6.0, -8.0, 2), ("p2", 1, -1.0, -1.0, 1), ("p2", 0, -3.0, -1.0, 1),
            ("p3", 2, -9.0, -9.0, 3),  # p3 has one reply: nothing to pick from
            ("p4", 2, -6.0, -6.0, 6), ("p4", 0, -4.0, -4.0, 2)]  # per token the long 2, whole the short 0
    rep = rerank.pick_report(rows, [0.0, 1.0])
    assert rep["prompts"] == 3 and rep["replies"] == 6, rep
    assert abs(rep["random"] - 2.5 / 3) < 1e-9 and abs(rep["best"] - 5 / 3) < 1e-9, rep
    # s=0: p1 takes the likelier 0; s=1: the specific 2. p4 parts the two.
    assert {k: round(v * 3) for k, v in rep["picked"].items()} == {"0.0": 3, "1.0": 5}, rep
    assert {k: round(v * 3) for k, v in rep["picked_whole"].items()} == {"0.0": 1, "1.0": 5}, rep
    # "Nothing said": the persona paragraph, then the pet's turn opened.
    import data as trainer_data
    para, nl = 50, 9
    e = trainer_data.Example(id="x", ids=(2, 20, 21, para, 30, 31, nl, 40, 41, 60, 61, nl),
                             mask=(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1))
    n = rerank.neutral(e, 9, para, nl)
    assert n.ids == (2, 20, 21, para, 40, 41, 60, 61, nl) and n.mask == (0, 0, 0, 0, 0, 0, 1, 1, 1), n
    two = trainer_data.Example(id="y", ids=(2, 20, nl, nl, 30, nl, 40, 60, nl), mask=(0,) * 7 + (1, 1))
    assert rerank.neutral(two, 7, None, nl).ids == (2, 20, nl, nl, 40, 60, nl)
    try:
        rerank.neutral(trainer_data.Example(id="z", ids=(2, 30, nl, 40, 60), mask=(0, 0, 0, 0, 1)), 4, para, nl)
    except SystemExit as err:
        assert "no paragraph break" in str(err), err
    else:
        raise AssertionError("rerank.neutral made a prior without a persona paragraph")
    # Less the owner's last line: the line before the pet's turn goes.
    u = rerank.without_last_owner_line(trainer_data.Example(
        id="u", ids=(2, 20, para, 30, 31, nl, 32, 33, nl, 40, 60, nl), mask=(0,) * 10 + (1, 1)), 10, para, nl)
    assert u.ids == (2, 20, para, 30, 31, nl, 40, 60, nl) and u.mask == (0,) * 7 + (1, 1), u
    with open(data, encoding="utf-8") as f:
        src = [json.loads(line) for line in f if line.strip()]
    conv = os.path.join(work, "rated-conv")
    os.makedirs(conv, exist_ok=True)
    lines, out = [], []
    (o_nl,) = fixtures.GreedyTokenizer(field(gguf.GGUFReader(base), "tokenizer.ggml.tokens")).encode("\n")
    for i, o in enumerate(src[:12]):
        lines.append(f"== rated {i % 3}: p{i // 3:03d}-{i % 3}, 2026-11-30")
        # A persona paragraph, as the plain prompt format has.
        ids, mask = [o["ids"][0], o["ids"][1], o_nl, o_nl] + o["ids"][1:], [0, 0, 0, 0] + o["mask"][1:]
        out.append(dict(o, id=f"rated.en.conv:{len(lines)}#0", ids=ids, mask=mask))
        lines.append("")
    with open(os.path.join(conv, "rated.en.conv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    export = os.path.join(work, "rated.jsonl")
    with open(export, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(o) + "\n" for o in out)
    args = ["--base", base, "--checkpoint", ckpt, "--data", export, "--conv", conv, "--threads", "1",
            "--specificity", "0,0.5"]
    got = rerank.main(args + ["--out", os.path.join(work, "rerank.json")])
    assert got["all"]["prompts"] == 4 and got["all"]["replies"] == 12 and got["all"]["best"] == 2.0, got
    assert set(got["all"]["picked"]) == {"0.0", "0.5"} and all(0 <= v <= 2 for v in got["all"]["picked"].values()), got
    assert json.load(open(os.path.join(work, "rerank.json")))["all"] == got["all"]
    # The adapter read back is the checkpoint's LoRA to F16 rounding: every
    # tensor, with llama's q/k rows back in transformers' order.
    import torch
    import adapter_gguf
    import gguf_model
    ck = torch.load(ckpt, weights_only=False)["lora"]
    alpha, rank, targets, layers, weights, meta = adapter_gguf.read(adapter, gguf_model.load(base))
    base_sha = meta.get("base_sha256")
    assert base_sha == gguf_model.sha256_file(base) and rank > 0 and alpha > 0, (base_sha, rank, alpha)
    assert sorted(weights) == sorted(ck), (sorted(weights), sorted(ck))
    for name, w in weights.items():
        want = ck[name].float().numpy()
        w = w.numpy()
        assert w.shape == want.shape and np.allclose(w, want, rtol=2e-3, atol=1e-4), name
        assert np.abs(want).max() > 0, name  # trained, so a misplaced read would show
    feats = os.path.join(work, "features.npz")
    via = rerank.main(["--base", base, "--adapter", adapter, "--data", export, "--conv", conv, "--threads", "1",
                       "--specificity", "0,0.5", "--features", feats])
    assert len(got["rows"]) == len(via["rows"]) == 12, (len(got["rows"]), len(via["rows"]))
    for a, b in zip(got["rows"], via["rows"]):
        assert a[:2] == b[:2] and a[4] == b[4] and abs(a[2] - b[2]) < 0.05 * abs(a[2]) + 0.05, (a, b)
    f = np.load(feats)
    assert f["state"].shape[0] == 12 and np.isfinite(f["state"]).all() and np.isfinite(f["unprompted"]).all(), f
    assert list(f["rating"]) == [r[1] for r in via["rows"]], f["rating"]
    study = rankstudy.main([feats])
    assert study["raters' best"]["mean"] == 2.0 and "learnt with the hidden state (ridge 1000)" in study, study
    stops(rerank.main, ["--base", base, "--adapter", feats, "--data", export, "--conv", conv],
          "--adapter", "rerank.py took a file that is no adapter for --adapter")
    with open(export, "a", encoding="utf-8") as f:
        f.write(json.dumps(dict(out[0], id="rated.en.conv:99#0")) + "\n")
    stops(rerank.main, args, "no rating header", "rerank.py scored a conversation with no rating")


def train_data_example(row):
    import data as trainer_data
    return trainer_data.Example(id=row["id"], ids=tuple(row["ids"]), mask=tuple(row["mask"]))


def check_grown_layers(common, work):
    """A warm restart may adapt more layers than its start (--init-grow):
    the new layers start at B = 0, so the model is the first run's (same
    held-out loss before the first step), and the adapter has them all."""
    top = os.path.join(work, "top")
    m = train.main(common + ["--out", top, "--layers", "1-1"])
    init = ["--epoch-offset", "1", "--init-from", os.path.join(top, "checkpoint.pt")]
    refused(common + ["--out", os.path.join(work, "grow-unasked")] + init, "--init-grow", "--init-from with fewer layers was accepted without --init-grow")
    refused(common + ["--out", os.path.join(work, "shrink"), "--layers", "0-0", "--init-grow"] + init, "init-from", "--init-grow onto other layers than the start's was accepted")
    grown = os.path.join(work, "grown-layers")
    g = train.main(common + ["--out", grown, "--layers", "0-1", "--init-grow"] + init)
    assert abs(g["initial_eval_loss"] - m["final_eval_loss"]) < 1e-5, (g["initial_eval_loss"], m["final_eval_loss"])
    a = gguf.GGUFReader(os.path.join(grown, "adapter.lora.gguf"))
    names = {t.name for t in a.tensors}
    assert any(n.startswith("blk.0.") for n in names) and any(n.startswith("blk.1.") for n in names), sorted(names)


def leaky_data(common, data, out):
    """data with one of its trained-on conversations again under an id that
    lands in the held-out part (as an edited file can do), written to out."""
    import data as trainer_data
    with open(data, encoding="utf-8") as f:
        old = [json.loads(line) for line in f if line.strip()]
    heldout = float(common[common.index("--heldout") + 1])
    trained = next(o for o in old if not trainer_data.is_heldout(o["id"], heldout, 1234))
    moved = next(f"moved.conv:{i}#0" for i in range(10000) if trainer_data.is_heldout(f"moved.conv:{i}#0", heldout, 1234))
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(o) + "\n" for o in old + [dict(trained, id=moved)])
    return out


def check_merge_start(common, data, work):
    """A pass from a merge (the shipped cat is one): it needs the supervised
    data as --prior-data, records the merge's sources and that data in its
    fingerprint, and still refuses a held-out example that data trained on."""
    merged = os.path.join(work, "truncated.lora.gguf")  # check_merge_rank's, rank 4 like common
    alpha = str(field(gguf.GGUFReader(merged), "adapter.lora.alpha"))
    init = ["--alpha", alpha, "--epoch-offset", "1", "--init-from", merged]
    refused(common + ["--out", os.path.join(work, "merge-noprior")] + init, "is a merge",
            "a pass from a merge was accepted without --prior-data")
    m = train.main(common + ["--out", os.path.join(work, "from-merge")] + init + ["--prior-data", data])
    fp = json.loads(m["init_from_fingerprint"])
    want_sources = json.loads(field(gguf.GGUFReader(merged), "purrd.train.merge_sources"))
    assert fp["merge_sources"] == want_sources and fp["data_sha256"] == m["data_sha256"], fp
    check = json.loads(m["init_from_data_check"])
    assert check["heldout_seen_by_prior"] == 0 and check["heldout_examples"] == m["heldout_examples"], check
    assert np.isfinite(m["final_eval_loss"]) and m["steps"] == 6, m
    leaky = leaky_data(common, data, os.path.join(work, "merge-leaky.jsonl"))
    refused([a if a != data else leaky for a in common] + ["--out", os.path.join(work, "merge-leaky")] + init + ["--prior-data", data],
            "trained on", "a pass from a merge took a held-out example its supervised data trained on")


def check_grown_data(common, data, whole, work, bos):
    """A warm restart on grown data needs the first run's data, and refuses
    a held-out example the first run trained on."""
    with open(data, encoding="utf-8") as f:
        old = [json.loads(line) for line in f if line.strip()]
    # New conversations: each old one with one more token before its end,
    # under new ids, so no token sequence equals an old one.
    grown_rows = list(old)
    for i, o in enumerate(old):
        grown_rows.append(dict(o, id=f"grown.conv:{i}#0", ids=o["ids"][:-1] + [bos, o["ids"][-1]], mask=o["mask"] + [1]))
    grown = os.path.join(work, "grown.jsonl")
    with open(grown, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(o) + "\n" for o in grown_rows)
    args = [a if a != data else grown for a in common]
    init = ["--epoch-offset", "1", "--init-from", os.path.join(whole, "checkpoint.pt")]
    refused(args + ["--out", os.path.join(work, "grown-noprior")] + init, "--prior-data", "a warm restart on other data was accepted without --prior-data")
    # From the checkpoint and from the adapter GGUF (whose fingerprint is
    # its metadata's): the same check, the same figures.
    for name, start in (("grown", "checkpoint.pt"), ("grown-gguf", "adapter.lora.gguf")):
        gi = ["--epoch-offset", "1", "--init-from", os.path.join(whole, start)]
        m = train.main(args + ["--out", os.path.join(work, name)] + gi + ["--prior-data", data])
        check = json.loads(m["init_from_data_check"])
        assert check["heldout_seen_by_prior"] == 0 and check["heldout_examples"] == m["heldout_examples"], (start, check)
        assert 0 < check["heldout_new_or_changed"] < check["heldout_examples"], (start, check)
        refused(args + ["--seed", "99"] + ["--out", os.path.join(work, name + "-seed")] + gi + ["--prior-data", data], "split its data with seed",
                f"--init-from {start} with another seed (another held-out split) was accepted")
    # A trained-on conversation moved to an id that lands in the held-out
    # part (as an edited file can do) must be refused.
    leaky = leaky_data(common, data, os.path.join(work, "leaky.jsonl"))
    refused([a if a != data else leaky for a in common] + ["--out", os.path.join(work, "leaky")] + init + ["--prior-data", data], "trained on", "a held-out example the first run trained on was accepted")


def check_qwen2(work):
    """The qwen2 path: q/k/v biases reach the model unchanged, a bias on
    any other tensor is refused, and training writes a valid adapter."""
    import gguf_model

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    base = os.path.join(work, "tiny-qwen2.gguf")
    fixtures.write_tiny_qwen2(base)
    lm = gguf_model.load(base)
    r = gguf.GGUFReader(base)
    mods = dict(lm.model.named_modules())
    for t in r.tensors:
        if t.name.endswith(".bias"):
            layer, kind = t.name.split(".")[1], t.name.split(".")[2]
            got = mods[f"model.layers.{layer}.{gguf_model.LORA_TARGETS[kind]}"].bias.detach().numpy()
            assert np.array_equal(got, np.asarray(t.data, dtype=np.float32)), f"{t.name} changed on loading"
    assert lm.config.tie_word_embeddings, "qwen2 without output.weight must tie the embeddings"

    bad = os.path.join(work, "bias-on-output.gguf")
    fixtures.write_tiny_qwen2(bad, stray_bias="blk.0.attn_output.bias")
    try:
        gguf_model.load(bad)
    except gguf_model.GGUFModelError as e:
        assert "blk.0.attn_output.bias" in str(e), e
    else:
        raise AssertionError("a bias on attn_output was accepted")

    data = os.path.join(work, "train.jsonl")
    fixtures.write_jsonl(data, field(r, "tokenizer.ggml.tokens"), 2, 1)
    m = train.main(["--base", base, "--data", data, "--rank", "4", "--max-steps", "6", "--warmup", "2", "--lr", "1e-2",
                    "--batch-tokens", "256", "--heldout", "0.25", "--threads", "1", "--out", os.path.join(work, "run")])
    assert m["steps"] == 6 and m["final_eval_loss"] < m["initial_eval_loss"], m
    check_adapter(os.path.join(work, "run", "adapter.lora.gguf"), base, 4, 8.0, 6)
    print(f"smoke ok: {base}: eval loss {m['initial_eval_loss']:.3f} -> {m['final_eval_loss']:.3f}")


def main():
    work = sys.argv[1]
    os.makedirs(work, exist_ok=True)
    g3 = os.path.join(work, "tiny-gemma3.gguf")
    fixtures.write_tiny_gemma3(g3)
    run(g3, os.path.join(work, "gemma3"), [])
    check_qwen2(os.path.join(work, "qwen2"))
    if len(sys.argv) > 2:
        run(sys.argv[2], os.path.join(work, "llama"), [])


if __name__ == "__main__":
    main()
