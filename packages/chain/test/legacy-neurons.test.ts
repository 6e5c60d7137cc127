import { describe, expect, it } from 'vitest';
import { decodeNeuronsLite } from '../src/metagraph/decode-neurons-lite.js';
import { ScaleReader } from '../src/metagraph/scale-reader.js';
import { loadSubtensorFixtures } from '../src/replay/fixtures.js';

const FIXTURES = new URL('../../../../shared/fixtures/subtensor', import.meta.url).pathname;

describe('legacy get_neurons_lite answers (runtime before 2025-02: Vec<u8> around Vec<NeuronInfoLite>)', () => {
  it('decodes the recorded netuid-23 answer after stripping the outer length prefix', () => {
    const fx = loadSubtensorFixtures(FIXTURES);
    const answer = Object.values(fx.scenarios.neurons_lite?.state_call ?? {})[0]?.result as string;
    const bytes = Buffer.from(answer.slice(2), 'hex');
    // As recorded, the bytes do not parse as a bare Vec<NeuronInfoLite>.
    expect(() => decodeNeuronsLite(bytes)).toThrow();
    const r = new ScaleReader(bytes);
    const inner = r.compact();
    expect(inner).toBe(bytes.length - r.offset);
    const neurons = decodeNeuronsLite(bytes.subarray(r.offset));
    expect(neurons).toHaveLength(19);
    expect(neurons.map((n) => n.uid)).toEqual(Array.from({ length: 19 }, (_, i) => i));
    expect(new Set(neurons.map((n) => n.netuid))).toEqual(new Set([23]));
    expect(neurons[0]?.hotkey).toBe('5G6coSQnHMttZsH5ZmYWAT6Jtg5zPDGxofirgGE4htow1UXD');
    expect(neurons[1]?.stakeRao).toBe(8_667_441_137n);
  });
});
