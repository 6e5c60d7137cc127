import { describe, expect, it } from 'vitest';
import { AxonBusyError, PriorityTimeoutError } from '../errors.js';
import { PriorityGate } from './priority.js';

describe('PriorityGate', () => {
  it('tryAcquire takes a free slot at once and refuses when the gate is full or someone waits', async () => {
    const gate = new PriorityGate(1, 10);
    const release = gate.tryAcquire();
    expect(release).not.toBeNull();
    expect(gate.inFlight).toBe(1);
    expect(gate.tryAcquire()).toBeNull();
    const waiting = gate.acquire(0, 1000);
    release?.();
    const next = await waiting;
    expect(gate.tryAcquire()).toBeNull();
    next();
    expect(gate.inFlight).toBe(0);
    expect(gate.tryAcquire()).not.toBeNull();
  });

  it('grants waiting slots by descending priority, FIFO among equals', async () => {
    const gate = new PriorityGate(1, 10);
    const first = await gate.acquire(0, 1000);
    const order: string[] = [];
    const wait = (p: number, name: string) =>
      gate.acquire(p, 1000).then((release) => {
        order.push(name);
        release();
      });
    const waits = [wait(1, 'p1'), wait(5, 'p5a'), wait(5, 'p5b')];
    expect(gate.queued).toBe(3);
    first();
    await Promise.all(waits);
    expect(order).toEqual(['p5a', 'p5b', 'p1']);
  });

  it('times out a waiter and rejects when the queue is full', async () => {
    const gate = new PriorityGate(1, 1);
    const held = await gate.acquire(0, 1000);
    const waiting = gate.acquire(0, 10);
    await expect(gate.acquire(0, 1000)).rejects.toBeInstanceOf(AxonBusyError);
    await expect(waiting).rejects.toBeInstanceOf(PriorityTimeoutError);
    held();
    expect(gate.inFlight).toBe(0);
  });
});
