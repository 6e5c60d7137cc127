/** QuestionFormAnswers namespace MTurk uses in `Assignment.Answer` (schema version 2005-10-01). */
export const QUESTION_FORM_ANSWERS_NS =
  'http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd';

// MTurk declares encoding="ASCII", so every character outside printable ASCII is written as a character reference.
function escapeXmlText(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (cp > 0x7e || (cp < 0x20 && ch !== '\n' && ch !== '\t' && ch !== '\r')) out += `&#${cp};`;
    else out += ch;
  }
  return out;
}

/**
 * Renders worker answers as the QuestionFormAnswers XML document MTurk stores in `Assignment.Answer`
 * (compact, `encoding="ASCII"`, one `<Answer>` with `<FreeText>` per question identifier).
 *
 * @param answers - question identifier → value; strings are used as-is, anything else is JSON-encoded
 *   (a crowd-form answer is `{taskAnswers: [{...}]}`, which becomes the JSON text MTurk stores).
 * @returns the XML document.
 * @example
 * questionFormAnswersXml({ taskAnswers: [{ 'cid-1': 5.5 }] });
 */
export function questionFormAnswersXml(answers: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(answers).map(([id, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return `<Answer><QuestionIdentifier>${escapeXmlText(id)}</QuestionIdentifier><FreeText>${escapeXmlText(text)}</FreeText></Answer>`;
  });
  return `<?xml version="1.0" encoding="ASCII"?><QuestionFormAnswers xmlns="${QUESTION_FORM_ANSWERS_NS}">${parts.join('')}</QuestionFormAnswers>`;
}
