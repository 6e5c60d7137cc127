import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'FlagValueError',
        'buildProgram',
        'coerceFlag',
        'commanderMessage',
        'envName',
        'envNames',
        'flagHelp',
        'helpText',
        'parseArgv',
        'readFlags',
        'readSecret',
        'wantsHelp',
        'resolveFlags',
      ].sort(),
    );
  });
});
