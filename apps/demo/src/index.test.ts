import { describe, expect, it } from 'vitest';
import * as demo from './index.js';

describe('public API of @dojo-ts/demo', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(demo).sort()).toEqual(
      [
        'DEMO_MINERS',
        'DemoError',
        'DemoProcessError',
        'DemoTimeoutError',
        'Observer',
        'RedisUnavailableError',
        'Supervisor',
        'barChart',
        'buildSummary',
        'deleteByPrefix',
        'ensureRedis',
        'formatLogLine',
        'freePort',
        'hitCids',
        'isAlive',
        'lineChart',
        'loadBundledForwarder',
        'pingRedis',
        'renderHtml',
        'runDemo',
        'startHumanLoop',
        'validatorBase',
      ].sort(),
    );
  });
});
