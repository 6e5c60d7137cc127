// GBR fit time and R² against scikit-learn's GradientBoostingRegressor on the same data (lab bench).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradientBoostingRegressor, r2Score } from '../src/analysis/gbr.js';

const sizes: Array<[number, number]> = [
  [2000, 10],
  [10000, 20],
];
const dir = mkdtempSync(join(tmpdir(), 'lab-bench-'));
try {
  for (const [n, d] of sizes) {
    const file = join(dir, `data-${n}.json`);
    const py = spawnSync(
      '/usr/bin/python3',
      [new URL('./sklearn-gbr.py', import.meta.url).pathname, file, String(n), String(d)],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (py.status !== 0) throw new Error('python bench half failed');
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      X: number[][];
      y: number[];
      n_train: number;
      args: Record<string, number>;
      fit_s: number;
      r2_test: number;
    };
    const Xtr = data.X.slice(0, data.n_train);
    const ytr = data.y.slice(0, data.n_train);
    let best = Number.POSITIVE_INFINITY;
    let model = new GradientBoostingRegressor(data.args);
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      model = new GradientBoostingRegressor(data.args).fit(Xtr, ytr);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    const r2 = r2Score(data.y.slice(data.n_train), model.predict(data.X.slice(data.n_train)));
    console.log(
      `GBR n=${n} d=${d} (${JSON.stringify(data.args)}): ours ${best.toFixed(3)} s, sklearn ${data.fit_s.toFixed(3)} s, ` +
        `time ratio ${(best / data.fit_s).toFixed(2)} (goal <= 3); R² ours ${r2.toFixed(4)} sklearn ${data.r2_test.toFixed(4)} ` +
        `diff ${(r2 - data.r2_test).toFixed(4)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
