import { describe, expect, it } from 'vitest';
import { bars, heatmap, histogram, lineChart, ols, scatter } from './svg.js';

const marks = (svg: string) => (svg.match(/class="mark"/g) ?? []).length;
const ys = (svg: string) => [...svg.matchAll(/<rect class="mark" x="[^"]+" y="([^"]+)"/g)].map((m) => Number(m[1]));

describe('inline SVG charts', () => {
  it('heatmap draws one mark per finite cell with row 0 at the bottom, matching the axis', () => {
    const svg = heatmap('t', [
      [1, Number.NaN],
      [2, 3],
    ]);
    expect(marks(svg)).toBe(3);
    const [row0, row1] = ys(svg);
    expect(row0).toBeGreaterThan(row1 as number);
  });
  it('scatter skips non-finite points and draws a trend line when asked', () => {
    const svg = scatter('t', [1, 2, Number.NaN, 4], [2, 4, 5, 8], { trend: true, labels: ['a<b', 'b', 'c', 'd'] });
    expect(marks(svg)).toBe(3);
    expect(svg).toContain('class="trend"');
    expect(svg).toContain('a&lt;b');
    expect(scatter('t', [1, 2, 3], [1, 2, 3], { marginals: true }).match(/class="marginal"/g)).toHaveLength(6);
  });
  it('line, bar and histogram charts carry marks', () => {
    expect(marks(lineChart('t', [{ name: 's', x: [0, 1, 2], y: [1, 2, 3] }]))).toBe(1);
    expect(marks(bars('t', [1, 2, Number.NaN], [0.1, 0.1, 0]))).toBe(2);
    expect(marks(histogram('t', [1, 1, 2, 9], 4))).toBe(2);
  });
  it('ols fits y = 2x + 1', () => {
    const f = ols([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
  });
});
