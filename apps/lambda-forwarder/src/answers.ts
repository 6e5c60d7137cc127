import { XMLParser } from 'fast-xml-parser';

/** One assignment as the miner's callback expects it (dojo.md §6 step 4). */
export interface ForwardedAssignment {
  HITId: string;
  AssignmentId: string;
  WorkerId: string;
  Answer: Array<Record<string, unknown>>;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => name === 'Answer',
  processEntities: true,
});

/**
 * Parses a QuestionFormAnswers (2005-10-01) document into `{QuestionIdentifier: JSON.parse(FreeText)}` entries.
 * A FreeText that is not JSON is kept as the raw string, so the miner can reject it with a reason.
 *
 * @param xml The assignment's `Answer` field.
 * @returns One object per `Answer` element.
 */
export function parseQuestionFormAnswers(xml: string): Array<Record<string, unknown>> {
  const doc = parser.parse(xml) as { QuestionFormAnswers?: { Answer?: Array<Record<string, unknown>> } };
  const answers = doc.QuestionFormAnswers?.Answer ?? [];
  const out: Array<Record<string, unknown>> = [];
  for (const answer of answers) {
    const id = answer['QuestionIdentifier'];
    if (typeof id !== 'string' || id === '') continue;
    const text = answer['FreeText'];
    if (typeof text !== 'string') continue;
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // kept raw on purpose: the miner decides what an unparsable answer means
    }
    out.push({ [id]: value });
  }
  return out;
}
