import { describe, expect, it } from 'vitest';
import { InvalidNotificationError } from './errors.js';
import { submittedHitIds } from './notification.js';

const record = (message: unknown) => ({
  EventSource: 'aws:sns',
  Sns: { MessageId: 'm-1', Message: typeof message === 'string' ? message : JSON.stringify(message) },
});
const doc = (events: unknown[]) => ({
  Events: events,
  EventDocId: 'd-1',
  SourceAccount: '123456789012',
  CustomerId: 'A1',
  EventDocVersion: '2014-08-15',
});
const submitted = (HITId: string) => ({
  EventType: 'AssignmentSubmitted',
  EventTimestamp: '2026-11-23T12:00:00Z',
  HITId,
  AssignmentId: `A${HITId}`,
  HITTypeId: 'T1',
});

describe('submittedHitIds', () => {
  it('keeps only AssignmentSubmitted events, deduplicated in order', () => {
    const records = [
      record(doc([submitted('HIT1'), { ...submitted('HIT9'), EventType: 'AssignmentAccepted' }, submitted('HIT2')])),
      record(doc([submitted('HIT1')])),
    ];
    expect(submittedHitIds(records)).toEqual(['HIT1', 'HIT2']);
  });

  it('returns nothing for a Ping test notification', () => {
    expect(submittedHitIds([record(doc([{ EventType: 'Ping', EventTimestamp: 'x', HITId: 'H' }]))])).toEqual([]);
  });

  it('rejects a message that is not JSON, has no Events, or a HITId that is not an MTurk id', () => {
    expect(() => submittedHitIds([record('not json')])).toThrow(InvalidNotificationError);
    expect(() => submittedHitIds([record({ Foo: 1 })])).toThrow(/no Events array/);
    expect(() => submittedHitIds([record(doc([submitted('../../etc')]))])).toThrow(/valid HITId/);
    expect(() => submittedHitIds([{ Sns: {} }])).toThrow(/Sns.Message missing/);
  });

  it('bounds the number of events per message', () => {
    const many = Array.from({ length: 101 }, (_, i) => submitted(`H${i}`));
    expect(() => submittedHitIds([record(doc(many))])).toThrow(/exceed/);
  });
});
