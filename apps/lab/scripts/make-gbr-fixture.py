"""Generates test/fixtures/gbr-sklearn.json: data plus scikit-learn GradientBoostingRegressor R² (lab.md §10.3)."""
import json, sys
import numpy as np
import sklearn
from sklearn.datasets import make_friedman1
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import r2_score

X, y = make_friedman1(n_samples=600, n_features=8, noise=1.0, random_state=0)
X = np.round(X, 6); y = np.round(y, 6)
ntr = 480
cases = {
    "default": dict(n_estimators=100, max_depth=3, learning_rate=0.1, random_state=0),
    "lab_design": dict(n_estimators=100, min_samples_leaf=5, validation_fraction=0.1, n_iter_no_change=10,
                       random_state=0, subsample=0.9),
}
out = {"sklearn": sklearn.__version__, "X": X.tolist(), "y": y.tolist(), "n_train": ntr, "cases": {}}
for name, args in cases.items():
    m = GradientBoostingRegressor(**args).fit(X[:ntr], y[:ntr])
    out["cases"][name] = {"args": args, "r2_train": r2_score(y[:ntr], m.predict(X[:ntr])),
                          "r2_test": r2_score(y[ntr:], m.predict(X[ntr:])), "n_estimators_": int(m.n_estimators_)}
json.dump(out, open(sys.argv[1] if len(sys.argv) > 1 else "test/fixtures/gbr-sklearn.json", "w"))
print({k: (v["r2_test"], v["n_estimators_"]) for k, v in out["cases"].items()})
