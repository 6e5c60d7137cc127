#!/usr/bin/python3
"""Baseline for bench/bench.ts: the scipy.stats.spearmanr loop (each miner vs the consensus).

Reads {"matrix": [[...], ...], "consensus": [...], "repeats": n} on stdin and prints the median seconds of one loop,
timed inside Python (interpreter start-up and JSON parsing excluded).
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
from scipy.stats import spearmanr

warnings.simplefilter("ignore")
data = json.load(sys.stdin)
matrix = np.array(data["matrix"], dtype=float)
consensus = np.array(data["consensus"], dtype=float)
times = []
for _ in range(data["repeats"]):
    t0 = time.perf_counter()
    rhos = [spearmanr(row, consensus).statistic for row in matrix]
    times.append(time.perf_counter() - t0)
print(json.dumps({"median_s": statistics.median(times), "first_rho": float(rhos[0])}))
