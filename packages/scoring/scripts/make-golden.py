#!/usr/bin/python3
"""Generates test/fixtures/golden.json with scipy (Debian python3-scipy); run: /usr/bin/python3 scripts/make-golden.py.

Tests compare @dojo-ts/scoring against these values and never need Python. NaN is written as null.
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy.special import softmax
from scipy.stats import rankdata, spearmanr

warnings.simplefilter("ignore")  # spearmanr warns on constant input; NaN is the expected answer
rng = np.random.default_rng(20240305)


def num(x):
    x = float(x)
    return None if math.isnan(x) else x


def rho(a, b):
    return num(spearmanr(a, b).statistic)


spearman_cases = []
for n in [2, 3, 4, 5, 8, 13, 32, 64]:
    for kind in ["continuous", "ties", "heavy_ties"]:
        if kind == "continuous":
            a, b = rng.random(n), rng.random(n)
        elif kind == "ties":
            a, b = rng.integers(0, max(2, n // 2), n).astype(float), rng.random(n).round(1)
        else:
            a, b = rng.integers(0, 3, n).astype(float), rng.integers(0, 2, n).astype(float)
        spearman_cases.append({"name": f"{kind} n={n}", "a": a.tolist(), "b": b.tolist(), "rho": rho(a, b)})
spearman_cases.append({"name": "constant a", "a": [0.5, 0.5, 0.5], "b": [1.0, 2.0, 3.0], "rho": rho([0.5] * 3, [1, 2, 3])})
spearman_cases.append({"name": "both constant", "a": [1.0, 1.0], "b": [2.0, 2.0], "rho": rho([1, 1], [2, 2])})
spearman_cases.append({"name": "reversed", "a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 3.0, 2.0, 1.0], "rho": rho([1, 2, 3, 4], [4, 3, 2, 1])})
spearman_cases.append({"name": "nan input", "a": [1.0, None, 3.0], "b": [1.0, 2.0, 3.0], "rho": rho([1, float("nan"), 3], [1, 2, 3])})

rank_cases = []
for n in [1, 5, 17]:
    a = rng.integers(0, 4, n).astype(float)
    rank_cases.append({"values": a.tolist(), "ranks": rankdata(a, method="average").tolist()})

softmax_cases = []
for n in [1, 2, 3, 10, 256]:
    x = rng.normal(0, 2, n)
    softmax_cases.append({"x": x.tolist(), "p": softmax(x).tolist()})
softmax_cases.append({"x": [1000.0, 1001.0, 999.0], "p": softmax([1000.0, 1001.0, 999.0]).tolist()})

RANGE = {"hf_model": (0.0, 1.0), "llm_api": (0.0, 1.0), "aws_mturk": (1.0, 10.0)}


def pipeline(responses, cids, accuracy, boost):
    """dojo.md §11.2, written independently of the TypeScript code."""
    norm = {}
    for r in responses:
        lo, hi = RANGE[r["method"]]
        norm[r["hotkey"]] = {c: float(np.clip((v - lo) / (hi - lo), 0, 1)) for c, v in r["scores"].items()}
    used = [c for c in cids if any(c in norm[r["hotkey"]] for r in responses)]
    cons = np.array([np.mean([norm[r["hotkey"]][c] for r in responses if c in norm[r["hotkey"]]]) for c in used])
    s = []
    for r in responses:
        vec = np.array([norm[r["hotkey"]].get(c, 0.0) for c in used])
        p = spearmanr(vec, cons).statistic if len(used) >= 2 else float("nan")
        p = 0.0 if math.isnan(p) else float(p)
        v = 0.5 * (p + 1)
        if r["method"] == "aws_mturk":
            v *= boost
        else:
            v *= accuracy.get(r["hotkey"], 1.0)
        s.append(v)
    p = softmax(np.array(s))
    return {
        "cidToConsensus": dict(zip(used, cons.tolist())),
        "hotkeyToScore": {r["hotkey"]: float(x) for r, x in zip(responses, p)},
    }


consensus_cases = []
ex1 = [
    {"hotkey": "A", "method": "hf_model", "scores": dict(zip("wxyz", [0.9, 0.7, 0.2, 0.1]))},
    {"hotkey": "B", "method": "hf_model", "scores": dict(zip("wxyz", [0.8, 0.6, 0.3, 0.2]))},
    {"hotkey": "C", "method": "hf_model", "scores": dict(zip("wxyz", [0.1, 0.2, 0.9, 0.8]))},
]
acc1 = {"A": 0.70, "B": 0.60, "C": 0.65}
consensus_cases.append({"name": "spec example 1", "responses": ex1, "cids": list("wxyz"), "accuracy": acc1, "humanBoost": 1.2,
                        "expected": pipeline(ex1, list("wxyz"), acc1, 1.2)})
ex2 = [
    {"hotkey": "H", "method": "hf_model", "scores": dict(zip("abc", [0.92, 0.35, 0.60]))},
    {"hotkey": "L", "method": "llm_api", "scores": dict(zip("abc", [0.8, 0.1, 0.7]))},
    {"hotkey": "M", "method": "aws_mturk", "scores": dict(zip("abc", [8.2, 2.8, 5.5]))},
    {"hotkey": "K", "method": "hf_model", "scores": dict(zip("abc", [0.5, 0.5, 0.5]))},
]
acc2 = {"H": 0.70, "L": 0.62, "K": 0.66}
consensus_cases.append({"name": "spec example 2", "responses": ex2, "cids": list("abc"), "accuracy": acc2, "humanBoost": 1.2,
                        "expected": pipeline(ex2, list("abc"), acc2, 1.2)})
methods = ["hf_model", "llm_api", "aws_mturk"]
for case in range(12):
    n_c = int(rng.integers(2, 12))
    n_m = int(rng.integers(1, 20))
    cids = [f"c{j}" for j in range(n_c)]
    responses, accuracy = [], {}
    for h in range(n_m):
        method = methods[int(rng.integers(0, 3))]
        scores = {}
        for c in cids:
            if rng.random() < 0.15:
                continue  # missing score
            if method == "aws_mturk":
                scores[c] = float(rng.integers(1, 11)) if rng.random() < 0.5 else float(rng.uniform(0.5, 10.5)) # out of range clamps
            else:
                scores[c] = round(float(rng.random()), 2) if rng.random() < 0.5 else float(rng.uniform(-0.1, 1.1))
        responses.append({"hotkey": f"hk{h}", "method": method, "scores": scores})
        if method != "aws_mturk" and rng.random() < 0.7:
            accuracy[f"hk{h}"] = float(rng.uniform(0.4, 1.0))
    boost = float(rng.choice([1.0, 1.2, 1.5]))
    consensus_cases.append({"name": f"random {case}", "responses": responses, "cids": cids, "accuracy": accuracy,
                            "humanBoost": boost, "expected": pipeline(responses, cids, accuracy, boost)})

out = {
    "generator": "scripts/make-golden.py",
    "scipy": scipy.__version__,
    "numpy": np.__version__,
    "spearman": spearman_cases,
    "rankdata": rank_cases,
    "softmax": softmax_cases,
    "consensus": consensus_cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "golden.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
    f.write("\n")
print(f"wrote {path}")
