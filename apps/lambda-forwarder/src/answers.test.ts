import { describe, expect, it } from 'vitest';
import { parseQuestionFormAnswers } from './answers.js';

// The shape MTurk stores for an HTMLQuestion crowd-form submission (QuestionFormAnswers 2005-10-01).
const xml = (freeText: string) =>
  `<?xml version="1.0" encoding="ASCII"?><QuestionFormAnswers xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"><Answer><QuestionIdentifier>taskAnswers</QuestionIdentifier><FreeText>${freeText}</FreeText></Answer></QuestionFormAnswers>`;

describe('parseQuestionFormAnswers', () => {
  it('turns each Answer into {QuestionIdentifier: parsed FreeText}', () => {
    const out = parseQuestionFormAnswers(xml('[{&quot;c1&quot;:5.68,&quot;c2&quot;:7.49}]'));
    expect(out).toEqual([{ taskAnswers: [{ c1: 5.68, c2: 7.49 }] }]);
  });

  it('keeps several answers and raw text that is not JSON', () => {
    const doc = `<QuestionFormAnswers><Answer><QuestionIdentifier>a</QuestionIdentifier><FreeText>[1]</FreeText></Answer><Answer><QuestionIdentifier>b</QuestionIdentifier><FreeText>hello</FreeText></Answer></QuestionFormAnswers>`;
    expect(parseQuestionFormAnswers(doc)).toEqual([{ a: [1] }, { b: 'hello' }]);
  });

  it('returns an empty list for an empty or foreign document', () => {
    expect(parseQuestionFormAnswers('')).toEqual([]);
    expect(parseQuestionFormAnswers('<Other/>')).toEqual([]);
  });
});
