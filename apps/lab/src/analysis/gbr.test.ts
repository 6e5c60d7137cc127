import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GradientBoostingRegressor, r2Score } from './gbr.js';

interface Fixture {
  X: number[][];
  y: number[];
  n_train: number;
  cases: Record<string, { args: Record<string, number>; r2_train: number; r2_test: number }>;
}
const fx = JSON.parse(
  readFileSync(new URL('../../test/fixtures/gbr-sklearn.json', import.meta.url), 'utf8'),
) as Fixture;

describe('GradientBoostingRegressor matches scikit-learn on the committed fixture', () => {
  for (const [name, c] of Object.entries(fx.cases)) {
    it(`${name}: train and test R² within 0.02 of scikit-learn`, () => {
      const Xtr = fx.X.slice(0, fx.n_train);
      const ytr = fx.y.slice(0, fx.n_train);
      const m = new GradientBoostingRegressor(c.args).fit(Xtr, ytr);
      const r2tr = r2Score(ytr, m.predict(Xtr));
      const r2te = r2Score(fx.y.slice(fx.n_train), m.predict(fx.X.slice(fx.n_train)));
      expect(Math.abs(r2te - c.r2_test)).toBeLessThan(0.02);
      expect(Math.abs(r2tr - c.r2_train)).toBeLessThan(0.02);
    });
  }
  it('rejects an unknown argument', () => {
    expect(() => new GradientBoostingRegressor({ forward_value: 1 } as never)).toThrow(/unknown arg/);
  });
  it('records out-of-bag improvement only when subsampling', () => {
    const m = new GradientBoostingRegressor({ n_estimators: 5, subsample: 0.8 }).fit(
      fx.X.slice(0, 100),
      fx.y.slice(0, 100),
    );
    expect(m.oobImprovement).toHaveLength(5);
    const full = new GradientBoostingRegressor({ n_estimators: 5 }).fit(fx.X.slice(0, 100), fx.y.slice(0, 100));
    expect(full.oobImprovement).toHaveLength(0);
    expect(full.trainScore[4]).toBeLessThan(full.trainScore[0] as number);
  });
});
