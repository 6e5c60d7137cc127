import { describe, expect, it } from 'vitest';
import { CallbackRejectedError } from '../errors.js';
import { aggregateScores, parseCallbackBody } from './aggregate.js';

const a = (worker: string, answers: Array<Record<string, unknown>>, id = `A-${worker}`) => ({
  HITId: 'H',
  AssignmentId: id,
  WorkerId: worker,
  Answer: answers,
});

describe('aggregateScores (dojo.md §7)', () => {
  it('averages every score per cid over the assignments that answered it, keys in request order', () => {
    const out = aggregateScores(
      [a('W1', [{ taskAnswers: [{ c2: 8, c1: 5 }] }]), a('W2', [{ taskAnswers: [{ c1: 6 }] }])],
      ['c1', 'c2', 'c3'],
    );
    expect(out.means).toEqual({ c1: 5.5, c2: 8 });
    expect(Object.keys(out.means)).toEqual(['c1', 'c2']);
    expect(out.workers).toBe(2);
    expect(out.assignmentIds).toEqual(['A-W1', 'A-W2']);
  });

  it('collects every element of every taskAnswers list, accepts numeric strings, ignores other questions and non-numbers', () => {
    const out = aggregateScores([
      a('W1', [
        { taskAnswers: [{ c1: 2 }, { c1: '4' }] },
        { comment: [{ c1: 100 }] },
        { taskAnswers: [{ c1: 'high', c2: null }] },
      ]),
    ]);
    expect(out.means).toEqual({ c1: 3 });
  });

  it('counts distinct workers, not assignments', () => {
    expect(aggregateScores([a('W1', [], 'X'), a('W1', [], 'Y')]).workers).toBe(1);
  });
});

describe('parseCallbackBody', () => {
  it('accepts the forwarder shape and rejects anything else with the first bad field', () => {
    expect(parseCallbackBody([a('W1', [{ taskAnswers: [{ c: 1 }] }])])).toHaveLength(1);
    const reason = (body: unknown) => {
      try {
        parseCallbackBody(body);
        return 'accepted';
      } catch (e) {
        return e instanceof CallbackRejectedError ? `${e.status} ${e.message}` : 'other';
      }
    };
    expect(reason({})).toBe('400 body must be a JSON array of assignments');
    expect(reason([1])).toBe('400 [0]: expected an object');
    expect(reason([{ ...a('W', []), WorkerId: 'a b' }])).toBe(
      '400 [0].WorkerId: expected an id of 1-128 letters, digits, _ or -',
    );
    expect(reason(Array.from({ length: 1001 }, () => a('W', [])))).toBe('400 at most 1000 assignments per callback');
  });
});
