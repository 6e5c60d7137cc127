import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { loadColdkeyPub, loadHotkeyAddress } from '../wallet/load-wallet.js';
import { LocalChainError } from './errors.js';
import type { LocalChain } from './local-chain.js';
import { LOCAL_SUBNET_DEFAULTS, type LocalSubnetParams } from './params.js';

/** A genesis neuron: an ss58 hotkey, or a wallet whose hotkey (and coldkeypub) are read from disk. */
export interface GenesisNeuron {
  hotkey_ss58?: string;
  coldkey_ss58?: string;
  wallet?: { name?: string; hotkey?: string; path?: string };
  stake_tao?: number;
  validator_permit?: boolean;
}

/** The genesis file of spec chain.md §13.2 (YAML or JSON, snake_case keys). */
export interface Genesis {
  chain_id?: string;
  block_ms?: number;
  beacon_seed?: string;
  stake_threshold_tao?: number;
  subnets?: Array<Record<string, unknown> & { netuid: number; neurons?: GenesisNeuron[] }>;
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Reads a genesis file (YAML or JSON).
 * @param path - file path.
 * @returns the parsed genesis.
 * @throws {LocalChainError} `InvalidGenesis` when it is not an object with a valid `subnets` list.
 */
export async function readGenesis(path: string): Promise<Genesis> {
  const doc: unknown = parse(await readFile(path, 'utf8'));
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new LocalChainError('InvalidGenesis', `${path}: genesis must be a mapping`);
  }
  const g = doc as Genesis;
  if (g.subnets !== undefined && !Array.isArray(g.subnets)) {
    throw new LocalChainError('InvalidGenesis', `${path}: subnets must be a list`);
  }
  return g;
}

/**
 * Applies a genesis to a network: creates missing subnets and registers missing neurons (idempotent, so every
 * process of a local run may apply the same file).
 * @param chain - connected LocalChain.
 * @param genesis - parsed genesis.
 * @throws {LocalChainError} unknown hyperparameter, neuron without hotkey, full subnet.
 */
export async function applyGenesis(chain: LocalChain, genesis: Genesis): Promise<void> {
  if (genesis.stake_threshold_tao !== undefined) {
    await chain.setStakeThreshold(BigInt(Math.round(genesis.stake_threshold_tao * 1e9)));
  }
  for (const subnet of genesis.subnets ?? []) {
    const params: Partial<LocalSubnetParams> = {};
    for (const [key, value] of Object.entries(subnet)) {
      if (key === 'netuid' || key === 'neurons') continue;
      const name = camel(key);
      if (!(name in LOCAL_SUBNET_DEFAULTS))
        throw new LocalChainError('InvalidGenesis', `unknown hyperparameter ${key}`);
      (params as Record<string, unknown>)[name] = value;
    }
    await chain.createSubnet(subnet.netuid, params);
    for (const neuron of subnet.neurons ?? []) {
      let hotkey = neuron.hotkey_ss58;
      let coldkey = neuron.coldkey_ss58;
      if (neuron.wallet) {
        const loc = { walletPath: neuron.wallet.path, name: neuron.wallet.name, hotkey: neuron.wallet.hotkey };
        hotkey ??= await loadHotkeyAddress(loc);
        coldkey ??= await loadColdkeyPub(loc).catch(() => undefined);
      }
      if (!hotkey) throw new LocalChainError('InvalidGenesis', `subnet ${subnet.netuid}: a neuron has no hotkey`);
      await chain.registerNeuron(subnet.netuid, {
        hotkey,
        coldkey,
        stakeTao: neuron.stake_tao ?? 0,
        validatorPermit: neuron.validator_permit,
      });
    }
  }
}
