import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactToU8a, hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import type { RecordedExchanges } from './replay-provider.js';

/** Finney genesis hash (block 0). */
export const FINNEY_GENESIS_HASH = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';

/** What `loadSubtensorFixtures` returns. */
export interface SubtensorFixtures {
  /** All scenarios of `finney-rpc-recordings.json`. */
  scenarios: Record<string, RecordedExchanges>;
  /** `state_getMetadata` hex (V14). */
  metadataV14Hex: string;
  /** Opaque V15 metadata bytes (starting with the `meta` magic) as hex. */
  metadataV15Hex: string;
}

/**
 * Reads the recorded finney fixtures (metadata V14/V15 spec 343 and JSON-RPC recordings) from a directory.
 * @param dir - the `shared/fixtures/subtensor` directory.
 * @returns the parsed fixtures.
 */
export function loadSubtensorFixtures(dir: string): SubtensorFixtures {
  const scenarios = JSON.parse(readFileSync(join(dir, 'finney-rpc-recordings.json'), 'utf8')) as Record<
    string,
    RecordedExchanges
  >;
  return {
    scenarios,
    metadataV14Hex: readFileSync(join(dir, 'metadata-v14-spec343.hex'), 'utf8').trim(),
    metadataV15Hex: readFileSync(join(dir, 'metadata-v15-spec343.hex'), 'utf8').trim(),
  };
}

/**
 * Builds the exchanges a fresh `ApiPromise` needs at start-up for the spec-343 `metagraph` scenario, from recorded
 * data only: the metadata files (`state_getMetadata`, `Metadata_metadata_versions` = [14, 15],
 * `Metadata_metadata_at_version(15)`), node answers recorded in other scenarios (`system_chain`, `rpc_methods`), and the
 * scenario's own head answers for the parameter-less "latest" forms (`state_getRuntimeVersion []`).
 * @param fx - loaded fixtures.
 * @param scenario - scenario name (default `metagraph`, the one recorded at spec 343).
 * @returns exchanges to pass to `ReplayProvider` together with the scenario.
 */
export function startupExchanges(fx: SubtensorFixtures, scenario = 'metagraph'): RecordedExchanges {
  const sc = fx.scenarios[scenario];
  if (!sc) throw new Error(`no scenario ${scenario}`);
  const v15 = hexToU8a(fx.metadataV15Hex);
  const optOpaque = u8aConcat([1], compactToU8a(v15.length), v15);
  const versions = u8aConcat(compactToU8a(2), new Uint8Array([14, 0, 0, 0, 15, 0, 0, 0]));
  const runtimeVersion = Object.values(sc.state_getRuntimeVersion ?? {})[0];
  const findAnywhere = (method: string): RecordedExchanges[string] => {
    for (const s of Object.values(fx.scenarios)) if (s[method]) return s[method] as RecordedExchanges[string];
    throw new Error(`no recording of ${method}`);
  };
  const out: RecordedExchanges = {
    state_getMetadata: { '[]': { result: fx.metadataV14Hex } },
    state_call: {
      '["Metadata_metadata_versions", "0x"]': { result: u8aToHex(versions) },
      '["Metadata_metadata_at_version", "0x0f000000"]': { result: u8aToHex(optOpaque) },
    },
    chain_getBlockHash: { '[0]': { result: FINNEY_GENESIS_HASH } },
    system_chain: findAnywhere('system_chain'),
    system_properties: { '[]': { result: { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' } } },
    rpc_methods: findAnywhere('rpc_methods'),
  };
  if (runtimeVersion) out.state_getRuntimeVersion = { '[]': runtimeVersion };
  return out;
}
