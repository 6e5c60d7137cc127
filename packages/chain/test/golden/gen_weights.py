"""Golden vectors for @dojo-ts/chain weights (spec chain.md §8).

Re-implements the Python SDK's weight_utils (normalize_max_weight, process_weights_for_netuid,
convert_weights_and_uids_for_emit) in numpy with NumPy-2 promotion rules (the SDK requires numpy>=2; this machine has
1.24, so 'weak' promotion is switched on). Run: /usr/bin/python3 test/golden/gen_weights.py > test/golden/weights.json
"""
import json
import numpy as np

np._set_promotion_state("weak")
U16_MAX = 65535


def normalize_max_weight(x, limit=0.1):
    epsilon = 1e-7
    weights = x.copy()
    values = np.sort(weights)
    if x.sum() == 0 or x.shape[0] * limit <= 1:
        return np.ones_like(x) / x.shape[0]
    estimation = values / values.sum()
    if estimation.max() <= limit:
        return weights / weights.sum()
    cumsum = np.cumsum(estimation, 0)
    estimation_sum = np.array([(len(values) - i - 1) * estimation[i] for i in range(len(values))])
    n_values = (estimation / (estimation_sum + cumsum + epsilon) < limit).sum()
    cutoff_scale = (limit * cumsum[n_values - 1] - epsilon) / (1 - (limit * (len(estimation) - n_values)))
    cutoff = cutoff_scale * values.sum()
    weights[weights > cutoff] = cutoff
    return weights / weights.sum()


def process_weights(uids, weights, n, min_allowed, max_limit, exclude_quantile=0):
    weights = weights.astype(np.float32)
    quantile = exclude_quantile / U16_MAX
    nz_idx = np.argwhere(weights > 0).squeeze(axis=1)
    nz_uids = uids[nz_idx]
    nz_w = weights[nz_idx]
    if nz_w.size == 0 or n < min_allowed:
        fw = np.ones((n), dtype=np.int64) / n
        return np.arange(len(fw)), fw
    elif nz_w.size < min_allowed:
        w = np.ones((n), dtype=np.int64) * 1e-5
        w[nz_idx] += nz_w
        nw = normalize_max_weight(x=w, limit=max_limit)
        return np.arange(len(nw)), nw
    max_exclude = max(0, len(nz_w) - min_allowed) / len(nz_w)
    q = min([quantile, max_exclude])
    lowest = np.quantile(nz_w, q)
    keep = lowest <= nz_w
    return nz_uids[keep], normalize_max_weight(x=nz_w[keep], limit=max_limit)


def convert_for_emit(uids, weights):
    weights = weights.tolist()
    uids = uids.tolist()
    if sum(weights) == 0:
        return [], []
    mx = float(max(weights))
    weights = [float(v) / mx for v in weights]
    vals, us = [], []
    for w, u in zip(weights, uids):
        v = round(float(w) * int(U16_MAX))
        if v != 0:
            vals.append(v)
            us.append(u)
    return us, vals


rng = np.random.default_rng(20261123)
cases = []
specs = [
    ([0.4377761575392942, 0.6876859861975825, 0.6623105521995788, 1.0], 4, 1, 1.0, 0),
    ([0.25, 1, 0.125, 0.5], 4, 1, 1.0, 0),
    ([0.5, 1, 0.25, 0.75], 4, 1, 1.0, 0),
]
for n in [3, 5, 8, 9, 16, 17, 64, 129, 256, 300, 1024]:
    for _ in range(3):
        w = rng.random(n)
        if rng.random() < 0.5:
            w = w ** 6
        zero = rng.random(n) < rng.choice([0.0, 0.3, 0.9])
        w[zero] = 0
        min_allowed = int(rng.choice([1, 8, 50]))
        limit = float(rng.choice([65535, 30000, 6553, 1000, 100])) / U16_MAX
        eq = int(rng.choice([0, 0, 6553, 32768]))
        specs.append((w.tolist(), n, min_allowed, limit, eq))
for w, n, min_allowed, limit, eq in specs:
    uids = np.arange(len(w))
    pu, pw = process_weights(uids, np.array(w, dtype=np.float64), n, min_allowed, limit, eq)
    eu, ev = convert_for_emit(np.asarray(pu), np.asarray(pw))
    nm = normalize_max_weight(np.array(w, dtype=np.float32), limit) if sum(w) > 0 else None
    cases.append({
        "weights": w, "n": n, "minAllowedWeights": min_allowed, "maxWeightLimit": limit, "excludeQuantile": eq,
        "processedUids": [int(u) for u in pu], "processedWeights": [float(x) for x in pw],
        "emitUids": [int(u) for u in eu], "emitWeights": [int(v) for v in ev],
        "normalized32": None if nm is None else [float(x) for x in nm],
    })
print(json.dumps({"generator": "test/golden/gen_weights.py", "numpy": np.__version__, "promotion": "weak", "cases": cases}))
