"""Bench half in Python: writes data, fits scikit-learn's GradientBoostingRegressor, times the fit (lab bench)."""
import json, sys, time
import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import r2_score

out_path, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X, y = make_friedman1(n_samples=n, n_features=d, noise=1.0, random_state=1)
ntr = int(n * 0.8)
args = dict(n_estimators=100, max_depth=3, learning_rate=0.1, random_state=0, subsample=0.9)
best = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    m = GradientBoostingRegressor(**args).fit(X[:ntr], y[:ntr])
    best = min(best, time.perf_counter() - t0)
json.dump({"X": X.tolist(), "y": y.tolist(), "n_train": ntr, "args": args, "fit_s": best,
           "r2_test": r2_score(y[ntr:], m.predict(X[ntr:]))}, open(out_path, "w"))
