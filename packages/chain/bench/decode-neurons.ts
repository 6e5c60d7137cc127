/**
 * Bench: decodeNeuronsLite vs a bare @polkadot/types decode of the same bytes (registry from the V15 metadata,
 * `Vec<NeuronInfoLite>` = the output type of NeuronInfoRuntimeApi.get_neurons_lite). Input: the recorded finney
 * netuid-1 answer (1024 neurons, block 6852690). Prints the ratio ours / baseline (goal ≤ 1.5).
 */
import { fileURLToPath } from 'node:url';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { hexToU8a } from '@polkadot/util';
import { decodeNeuronsLite } from '../src/metagraph/decode-neurons-lite.js';
import { loadSubtensorFixtures } from '../src/replay/fixtures.js';
import { subtensorSignedExtensions } from '../src/subtensor/signed-extensions.js';

const dir =
  process.env.SUBTENSOR_FIXTURES ?? fileURLToPath(new URL('../../../../shared/fixtures/subtensor', import.meta.url));
const fx = loadSubtensorFixtures(dir);
const calls = fx.scenarios.metagraph?.state_call ?? {};
const key = Object.keys(calls).find((k) => k.includes('get_neurons_lite'));
if (!key) throw new Error('no get_neurons_lite recording');
const bytes = hexToU8a(calls[key]?.result as string);

const registry = new TypeRegistry();
const metadata = new Metadata(registry, fx.metadataV15Hex);
registry.setMetadata(metadata, undefined, subtensorSignedExtensions(fx.metadataV14Hex));
const api = metadata.asV15.apis.find((a) => a.name.toString() === 'NeuronInfoRuntimeApi');
const method = api?.methods.find((m) => m.name.toString() === 'get_neurons_lite');
if (!method) throw new Error('no get_neurons_lite in metadata');
const typeName = registry.createLookupType(method.output);

const ours = () => decodeNeuronsLite(bytes);
const baseline = () => registry.createType(typeName, bytes);
if (ours().length !== 1024 || (baseline() as unknown as unknown[]).length !== 1024) throw new Error('decode mismatch');

function time(fn: () => unknown, iterations: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / iterations;
}

// Warm up both, then interleave rounds so load on the machine hits both alike; report medians.
time(ours, 20);
time(baseline, 20);
const a: number[] = [];
const b: number[] = [];
for (let round = 0; round < 7; round++) {
  a.push(time(ours, 15));
  b.push(time(baseline, 15));
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const ma = median(a);
const mb = median(b);
console.log(`input: ${bytes.length} bytes, 1024 NeuronInfoLite (finney netuid 1, block 6852690)`);
console.log(`decodeNeuronsLite (plain records, ss58 strings): ${ma.toFixed(2)} ms/decode`);
console.log(`@polkadot/types createType(${typeName}) baseline:  ${mb.toFixed(2)} ms/decode`);
console.log(`ratio ours/baseline: ${(ma / mb).toFixed(3)} (goal <= 1.5)`);
