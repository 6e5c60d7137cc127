import { describe, expect, it } from 'vitest';
import * as services from './index.js';

describe('@dojo-ts/local-services public API', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(services).sort()).toEqual([
      'DEFAULT_LOCAL_MODELS',
      'MTurkApiError',
      'QUESTION_FORM_ANSWERS_NS',
      'dojoChatResponder',
      'questionFormAnswersXml',
      'startMTurkServer',
      'startOpenAiCompatibleServer',
      'startStsServer',
    ]);
  });
});
