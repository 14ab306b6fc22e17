"""How well could a ranking of a turn's candidates do on the rated replies?

rerank.py --features keeps, for every rated reply of training/rated, its
log p after the conversation, after nothing said and after the
conversation less the owner's last line, its token count and the mean
final hidden state over its tokens. This compares rankings on them by the
mean rating of the reply each would pick among a prompt's replies:

- fixed ones the brain can run without training anything: log p per token
  or over the whole reply, less a weight of either prior (nothing said,
  brain.sampling.specificity_prior persona; the conversation less the
  owner's last line, history), or the fewest tokens;
- learnt ones (ridge regression on the prompt-centred rating), judged by
  10-fold cross-validation by prompt, three shuffles: on the log p
  figures alone, and with the hidden state.

Each line gives the mean picked rating overall, its standard error, and
per language; the fixed ones also the paired difference from the default
(per token, specificity 0.5, persona) with its standard error.

  rankstudy.py FEATURES.npz [--out REPORT.json]
"""
from __future__ import annotations

import argparse
import json

import numpy as np


class Rated:
    def __init__(self, path: str):
        d = np.load(path)
        self.rating = d["rating"].astype(float)
        self.lp, self.prior, self.unprompted = d["lp"], d["prior"], d["unprompted"]
        self.tokens = d["tokens"].astype(float)
        self.state = d["state"]
        # export ids are "rated.<lang>.conv:<line>#0"
        self.lang = np.array([str(i).split(".")[1] for i in d["id"]])
        groups = {}
        for i, g in enumerate(d["group"]):
            groups.setdefault(str(g), []).append(i)
        self.groups = {g: np.array(ix) for g, ix in sorted(groups.items()) if len(ix) > 1}
        self.keys = list(self.groups)

    def picks(self, score) -> np.ndarray:
        return np.array([self.groups[g][np.argmax(score[self.groups[g]])] for g in self.keys])

    def summary(self, score) -> dict:
        p = self.picks(score)
        r = self.rating[p]
        out = {"mean": float(r.mean()), "se": float(r.std() / np.sqrt(len(r)))}
        for lang in sorted(set(self.lang)):
            sel = self.lang[p] == lang
            out[lang] = float(r[sel].mean())
        return out

    def centred(self, x):
        x = x.copy()
        for ix in self.groups.values():
            x[ix] -= x[ix].mean(0)
        return x


def learnt(rated: Rated, x, lam: float, folds: int = 10, shuffles: int = 3) -> dict:
    """Ridge on prompt-centred features and ratings, scored on held-out
    prompts only (features scaled by the training prompts' spread); the
    mean over the shuffles."""
    xc = rated.centred(x)
    yc = rated.centred(rated.rating[:, None])[:, 0]
    runs = []
    for seed in range(shuffles):
        order = np.random.RandomState(seed).permutation(len(rated.keys))
        score = np.zeros(len(yc))
        for f in range(folds):
            test = {rated.keys[k] for k in order[f::folds]}
            if not test:
                continue  # fewer prompts than folds
            tr = np.concatenate([ix for g, ix in rated.groups.items() if g not in test])
            te = np.concatenate([ix for g, ix in rated.groups.items() if g in test])
            scale = xc[tr].std(0) + 1e-9
            a = xc[tr] / scale
            w = np.linalg.solve(a.T @ a + lam * np.eye(a.shape[1]), a.T @ yc[tr])
            score[te] = (xc[te] / scale) @ w
        runs.append(rated.summary(score))
    return {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("features")
    p.add_argument("--out", default="")
    a = p.parse_args(argv)
    r = Rated(a.features)
    lp, pr, un, t = r.lp, r.prior, r.unprompted, r.tokens
    rows = {}
    default = r.picks((lp - 0.5 * pr) / t)

    def fixed(name, score):
        s = r.summary(score)
        d = r.rating[r.picks(score)] - r.rating[default]
        s["vs_default"], s["vs_default_se"] = float(d.mean()), float(d.std() / np.sqrt(len(d)))
        rows[name] = s

    # A random pick's expectation: each prompt's mean rating.
    rows["random"] = {"mean": float(np.mean([r.rating[ix].mean() for ix in r.groups.values()]))}
    rows["raters' best"] = r.summary(r.rating)
    for s in (0, 0.5, 1):
        fixed(f"per token, specificity {s}", (lp - s * pr) / t)
    for s in (0.25, 0.5, 1):
        fixed(f"per token, specificity {s} against the history", (lp - s * un) / t)
    for s in (0, 0.1, 0.25, 0.5):
        fixed(f"whole reply, specificity {s}", lp - s * pr)
    for w in (0.1, 0.25, 0.5):
        fixed(f"whole reply, less {w} x log p without the owner's last line", lp - w * un)
    fixed("fewest tokens", -t)
    base = np.stack([lp / t, pr / t, un / t, np.log(t), lp, pr, un], 1)
    for lam in (10, 100):
        rows[f"learnt on the log p figures (ridge {lam})"] = learnt(r, base, lam)
    for lam in (1000, 10000):
        rows[f"learnt with the hidden state (ridge {lam})"] = learnt(r, np.concatenate([base, r.state], 1), lam)
    print(f"{len(r.keys)} prompts, {sum(len(ix) for ix in r.groups.values())} replies")
    for name, s in rows.items():
        langs = "  ".join(f"{k} {v:.2f}" for k, v in s.items() if k in ("en", "zh"))
        extra = f"  vs default {s['vs_default']:+.3f} ± {s['vs_default_se']:.3f}" if "vs_default" in s else ""
        se = f" ± {s['se']:.3f}" if "se" in s else ""
        print(f"{name:62s} {s['mean']:.3f}{se}  {langs}{extra}")
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)
            f.write("\n")
    return rows


if __name__ == "__main__":
    main()
