/**
 * LocalChain (spec chain.md §13): the `Chain` interface over Redis, so several processes share one development network.
 * Every state change is one Lua script (atomic, crash-safe); one process at a time produces blocks under a Redis lease.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, decodeAddress, encodeAddress, signatureVerify } from '@polkadot/util-crypto';
import { Redis } from 'ioredis';
import type {
  AxonInfo,
  Beacon,
  Chain,
  ChainEvent,
  Hyperparams,
  Metagraph,
  ServeAxonParams,
  TxResult,
} from '../chain.js';
import { InvalidAxonError, NotRegisteredError } from '../errors.js';
import { buildMetagraph } from '../metagraph/build-metagraph.js';
import { ipFromString } from '../metagraph/ip.js';
import { buildTimelockedCommit } from '../timelock/commit.js';
import { localBeaconKeypair } from '../timelock/timelock.js';
import { convertWeightsAndUidsForEmit, processWeightsForNetuid } from '../weights/process-weights.js';
import { LocalChainError } from './errors.js';
import {
  COMMIT_WEIGHTS,
  CREATE_SUBNET,
  REGISTER_NEURON,
  SERVE_AXON,
  SET_WEIGHTS,
  TICK,
  UPDATE_NEURON,
} from './lua-scripts.js';
import { decodeParams, encodeParam, LOCAL_SUBNET_DEFAULTS, type LocalSubnetParams } from './params.js';
import { emptyAxon, type StoredAxon, type StoredNeuron, toNeuronLite } from './records.js';
import { revealCommits } from './reveal-commits.js';
import { toTxResult } from './tx-result.js';

/** Options of {@link LocalChain.connect}. */
export interface LocalChainOptions {
  /** An ioredis client (left open by `close()`) or a Redis URL (default `redis://127.0.0.1:6379`). */
  redis?: Redis | string;
  /** Key prefix of this network; several networks share one Redis. Default `lc:local:`. */
  namespace?: string;
  /** Block time in ms, ≥ 100. Default 12000. The first process to connect fixes it for the network. */
  blockMs?: number;
  /** Take part in block production (one process at a time holds the producer lease). Default true. */
  produceBlocks?: boolean;
  /** Accept 127.0.0.1 / ::1 axons (the real chain refuses them with pool code 11). Default true, for one-machine runs. */
  allowLoopbackAxons?: boolean;
  /** Seed of the local timelock beacon (hex) when this call creates the network; default random. */
  beaconSeedHex?: string;
  /** Called with errors of the background block producer. Default: ignore (the next tick retries). */
  onError?: (err: unknown) => void;
}

/** A neuron registration (admin, §13.4). */
export interface RegisterNeuronParams {
  /** ss58 hotkey. */
  hotkey: string;
  /** ss58 coldkey; defaults to the hotkey. */
  coldkey?: string;
  /** Stake in TAO (use `stakeRao` for exact amounts). Default 0. */
  stakeTao?: number;
  stakeRao?: bigint;
  /** Pin the validator permit; when absent epochs grant it by stake (top `maxValidators`). */
  validatorPermit?: boolean;
}

function ss58(address: string): string {
  try {
    return encodeAddress(decodeAddress(address), 42);
  } catch (cause) {
    throw new LocalChainError('InvalidOption', `not an ss58 address: ${address}`, { cause });
  }
}

function taoToRao(stakeTao: number | undefined, stakeRao: bigint | undefined): bigint {
  const rao = stakeRao ?? BigInt(Math.round((stakeTao ?? 0) * 1e9));
  if (rao < 0n || rao > 2n ** 53n) throw new LocalChainError('InvalidOption', 'stake must be within 0..2^53 rao');
  return rao;
}

/** LocalChain: a development chain in Redis implementing {@link Chain}. Create it with {@link LocalChain.connect}. */
export class LocalChain implements Chain {
  /** Key prefix of this network in Redis. */
  readonly namespace: string;
  private readonly ns: string;
  private readonly producerId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private subscriber: Redis | undefined;
  private readonly blockListeners = new Set<(block: number) => void>();
  private beaconCache: { secretKey: bigint; beacon: Beacon } | undefined;
  private closed = false;

  private constructor(
    readonly redis: Redis,
    private readonly ownsRedis: boolean,
    namespace: string,
    /** Block time of the network in ms. */
    readonly blockMs: number,
    private readonly options: LocalChainOptions,
  ) {
    this.ns = namespace;
    this.namespace = namespace;
  }

  /**
   * Connects to (or creates) a LocalChain network in Redis and, unless `produceBlocks` is false, starts competing for
   * the block-producer lease.
   * @param options - Redis client or URL, namespace, block time, production flag.
   * @returns the connected chain; call `close()` when done.
   * @throws {LocalChainError} invalid options.
   * @example
   * const chain = await LocalChain.connect({ redis: 'redis://127.0.0.1:6379', namespace: 'lc:demo:', blockMs: 1000 });
   */
  static async connect(options: LocalChainOptions = {}): Promise<LocalChain> {
    const requested = options.blockMs ?? 12_000;
    if (!Number.isInteger(requested) || requested < 100) {
      throw new LocalChainError('InvalidOption', 'blockMs must be an integer ≥ 100');
    }
    const ns = options.namespace ?? 'lc:local:';
    const owns = typeof options.redis !== 'object';
    const redis =
      typeof options.redis === 'object'
        ? options.redis
        : new Redis(options.redis ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 3 });
    if (redis.options.keyPrefix) {
      // Lua scripts build their keys themselves, so an ioredis keyPrefix would split the state in two.
      throw new LocalChainError('InvalidOption', 'pass a Redis client without keyPrefix; use `namespace` instead');
    }
    const config = `${ns}config`;
    const produce = options.produceBlocks ?? true;
    // A pure reader without an explicit block time must not fix the network's block time for the producer.
    const fixBlockMs = produce || options.blockMs !== undefined;
    const tx = redis.multi();
    if (fixBlockMs) tx.hsetnx(config, 'blockMs', String(requested));
    await tx
      .hsetnx(config, 'genesisUnix', String(Math.floor(Date.now() / 1000)))
      .hsetnx(config, 'beaconSeed', options.beaconSeedHex?.replace(/^0x/, '') ?? randomBytes(32).toString('hex'))
      .hsetnx(config, 'stakeThresholdRao', '0')
      .setnx(`${ns}block`, '0')
      .exec();
    const blockMs = Number((await redis.hget(config, 'blockMs')) || requested);
    const chain = new LocalChain(redis, owns, ns, blockMs, options);
    if (produce) {
      chain.timer = setInterval(() => void chain.produceOnce(), blockMs);
    }
    return chain;
  }

  private key(suffix: string): string {
    return `${this.ns}${suffix}`;
  }

  private subnetKey(netuid: number, suffix: string): string {
    return `${this.ns}subnet:${netuid}:${suffix}`;
  }

  private async produceOnce(): Promise<void> {
    if (this.ticking || this.closed) return;
    this.ticking = true;
    try {
      const block = Number(await TICK.run(this.redis, [this.ns, this.producerId, 3 * this.blockMs, '0']));
      if (block > 0) await this.revealDue(block);
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Test mode: produces `k` blocks now, regardless of the producer lease (use with `produceBlocks: false`).
   * @param k - number of blocks (default 1).
   * @returns the new block number.
   */
  async advanceBlocks(k = 1): Promise<number> {
    let block = await this.currentBlock();
    for (let i = 0; i < k; i++) {
      block = Number(await TICK.run(this.redis, [this.ns, this.producerId, 3 * this.blockMs, '1']));
      await this.revealDue(block);
    }
    return block;
  }

  /** True when this process currently holds the block-producer lease. */
  async isProducer(): Promise<boolean> {
    return (await this.redis.get(this.key('producer'))) === this.producerId;
  }

  // ---- Chain interface -------------------------------------------------------------------------------------------

  async currentBlock(): Promise<number> {
    return Number((await this.redis.get(this.key('block'))) ?? 0);
  }

  private async params(netuid: number): Promise<LocalSubnetParams> {
    const hash = await this.redis.hgetall(this.subnetKey(netuid, 'hyper'));
    if (Object.keys(hash).length === 0) throw new LocalChainError('SubnetNotFound', `subnet ${netuid} does not exist`);
    return decodeParams(hash);
  }

  async hyperparams(netuid: number): Promise<Hyperparams> {
    const p = await this.params(netuid);
    return {
      tempo: p.tempo,
      weightsRateLimit: p.weightsRateLimit,
      weightsVersionKey: p.weightsVersionKey,
      minAllowedWeights: p.minAllowedWeights,
      maxWeightsLimit: p.maxWeightsLimit,
      commitRevealEnabled: p.commitRevealEnabled,
      revealPeriodEpochs: p.revealPeriodEpochs,
      servingRateLimit: p.servingRateLimit,
      immunityPeriod: p.immunityPeriod,
      activityCutoff: p.activityCutoff,
      maxAllowedUids: p.maxAllowedUids,
    };
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    await this.params(netuid);
    const res = await this.redis
      .multi()
      .get(this.key('block'))
      .hgetall(this.subnetKey(netuid, 'neurons'))
      .hgetall(this.subnetKey(netuid, 'axons'))
      .exec();
    const block = Number(res?.[0]?.[1] ?? 0);
    const neurons = (res?.[1]?.[1] ?? {}) as Record<string, string>;
    const axons = (res?.[2]?.[1] ?? {}) as Record<string, string>;
    const list = Object.values(neurons).map((json) => {
      const n = JSON.parse(json) as StoredNeuron;
      const axon = axons[n.hotkey];
      return toNeuronLite(netuid, n, axon === undefined ? undefined : (JSON.parse(axon) as StoredAxon));
    });
    return buildMetagraph(netuid, block, list);
  }

  async uidOf(netuid: number, hotkey: string): Promise<number | null> {
    const uid = await this.redis.hget(this.subnetKey(netuid, 'uids'), hotkey);
    return uid === null ? null : Number(uid);
  }

  async axonInfo(netuid: number, hotkey: string): Promise<AxonInfo | null> {
    const [axon, uid] = await Promise.all([
      this.redis.hget(this.subnetKey(netuid, 'axons'), hotkey),
      this.redis.hget(this.subnetKey(netuid, 'uids'), hotkey),
    ]);
    if (axon === null) return null;
    const neuron = uid === null ? null : await this.redis.hget(this.subnetKey(netuid, 'neurons'), uid);
    const coldkey = neuron === null ? hotkey : (JSON.parse(neuron) as StoredNeuron).coldkey;
    return { ...emptyAxon(hotkey, coldkey), ...(JSON.parse(axon) as StoredAxon) };
  }

  async lastUpdate(netuid: number): Promise<number[]> {
    return (await this.metagraph(netuid)).lastUpdate;
  }

  private async localBeacon(): Promise<{ secretKey: bigint; beacon: Beacon }> {
    if (this.beaconCache) return this.beaconCache;
    const [seed, genesis] = await this.redis.hmget(this.key('config'), 'beaconSeed', 'genesisUnix');
    const kp = localBeaconKeypair(Buffer.from(seed ?? '', 'hex'));
    this.beaconCache = {
      secretKey: kp.secretKey,
      beacon: {
        publicKeyG2Hex: kp.publicKeyG2Hex,
        genesisUnix: Number(genesis),
        periodS: 3,
        chainHash: blake2AsHex(`dojo-ts-localchain:${this.ns}:${kp.publicKeyG2Hex}`).slice(2),
      },
    };
    return this.beaconCache;
  }

  async beacon(): Promise<Beacon> {
    return (await this.localBeacon()).beacon;
  }

  /** Signs the call with the hotkey and verifies it, as the chain would before dispatch. */
  private checkSignature(signer: KeyringPair, call: string): string {
    const message = new TextEncoder().encode(`${this.ns}${call}`);
    if (!signatureVerify(message, signer.sign(message), signer.address).isValid) {
      throw new LocalChainError('BadSignature', 'the signer did not produce a valid sr25519 signature');
    }
    return encodeAddress(signer.publicKey, 42);
  }

  /**
   * The raw `set_weights` extrinsic (u16 values, no post-processing): pool codes 1 / 6, then the §7.2 checks.
   * @returns the `TxResult`, with `WeightsSet` on success.
   */
  async setWeights(
    signer: KeyringPair,
    netuid: number,
    uids: number[],
    values: number[],
    versionKey: number,
  ): Promise<TxResult> {
    const args = [JSON.stringify(uids), JSON.stringify(values), String(versionKey)];
    const hotkey = this.checkSignature(signer, `set_weights:${netuid}:${args.join(':')}`);
    return toTxResult(this.ns, await SET_WEIGHTS.run(this.redis, [this.ns, netuid, hotkey, ...args]));
  }

  /**
   * The raw `commit_timelocked_weights` extrinsic (§10.1): pool codes 1 / 15, then the dispatch checks.
   * @returns the `TxResult`, with `TimelockedWeightsCommitted` on success.
   */
  async commitTimelockedWeights(
    signer: KeyringPair,
    netuid: number,
    commit: Uint8Array,
    revealRound: number,
    commitRevealVersion = 4,
  ): Promise<TxResult> {
    const hex = u8aToHex(commit);
    const hotkey = this.checkSignature(signer, `commit:${netuid}:${hex}:${revealRound}:${commitRevealVersion}`);
    const { beacon } = await this.localBeacon();
    const lastStored = Math.max(0, Math.floor((Date.now() / 1000 - beacon.genesisUnix) / beacon.periodS));
    const args = [this.ns, netuid, hotkey, hex, revealRound, commitRevealVersion, lastStored];
    return toTxResult(this.ns, await COMMIT_WEIGHTS.run(this.redis, args));
  }

  async emitWeights(
    signer: KeyringPair,
    netuid: number,
    uids: number[],
    floatWeights: number[],
    versionKey: number,
  ): Promise<TxResult> {
    const p = await this.params(netuid);
    if ((await this.uidOf(netuid, encodeAddress(signer.publicKey, 42))) === null) {
      throw new NotRegisteredError(`hotkey ${signer.address} is not registered on netuid ${netuid}`, {
        details: { netuid, hotkey: signer.address },
      });
    }
    const n = await this.redis.hlen(this.subnetKey(netuid, 'neurons'));
    const processed = processWeightsForNetuid(uids, floatWeights, n, p.minAllowedWeights, p.maxWeightsLimit / 65535);
    const emit = convertWeightsAndUidsForEmit(processed.uids, processed.weights);
    if (!p.commitRevealEnabled) return this.setWeights(signer, netuid, emit.uids, emit.weights, versionKey);
    const { beacon } = await this.localBeacon();
    const commit = buildTimelockedCommit({
      currentBlock: await this.currentBlock(),
      tempo: p.tempo,
      netuid,
      revealPeriodEpochs: p.revealPeriodEpochs,
      nowUnix: Date.now() / 1000,
      blockTimeS: this.blockMs / 1000,
      beacon,
      hotkey: signer.publicKey,
      uids: emit.uids,
      values: emit.weights,
      versionKey,
    });
    return this.commitTimelockedWeights(signer, netuid, commit.commit, commit.revealRound);
  }

  private isLoopback(parsed: { ip: bigint; ipType: 4 | 6 }): boolean {
    return (parsed.ipType === 4 && parsed.ip === 0x7f000001n) || (parsed.ipType === 6 && parsed.ip === 1n);
  }

  /**
   * Serves the axon with the same client-side checks as `SubtensorChain.serveAxon`: an unparsable IP, a port outside
   * 1..65535 or (with `allowLoopbackAxons: false`) a loopback IP throw `InvalidAxonError`, an unregistered hotkey throws
   * `NotRegisteredError`; then {@link LocalChain.serveAxonExtrinsic}.
   */
  async serveAxon(signer: KeyringPair, netuid: number, params: ServeAxonParams): Promise<TxResult> {
    if (!Number.isInteger(params.port) || params.port < 1 || params.port > 65535) {
      throw new InvalidAxonError(`invalid axon port ${params.port}: must be 1..65535`);
    }
    const parsed = ipFromString(params.ip);
    if (this.isLoopback(parsed) && !(this.options.allowLoopbackAxons ?? true)) {
      throw new InvalidAxonError(`${params.ip} is a loopback address; the chain refuses it`);
    }
    if ((await this.uidOf(netuid, encodeAddress(signer.publicKey, 42))) === null) {
      throw new NotRegisteredError(`hotkey ${signer.address} is not registered on netuid ${netuid}`, {
        details: { netuid, hotkey: signer.address },
      });
    }
    return this.serveAxonExtrinsic(signer, netuid, params);
  }

  /**
   * The raw `serve_axon` extrinsic (§7.4): pool codes 10 (not registered), 255 (IP type), 11 (invalid IP, unparsable,
   * or loopback when `allowLoopbackAxons` is false), 12 (serving rate limit), 13 (port 0); skipped when unchanged.
   * @returns the `TxResult`, with `AxonServed` on success.
   */
  async serveAxonExtrinsic(signer: KeyringPair, netuid: number, params: ServeAxonParams): Promise<TxResult> {
    let parsed: { ip: bigint; ipType: 4 | 6 };
    try {
      parsed = ipFromString(params.ip);
    } catch (err) {
      if (err instanceof InvalidAxonError) return toTxResult(this.ns, '{"ok":false,"kind":"pool","code":11}');
      throw err;
    }
    const ipType = params.ipType ?? parsed.ipType;
    const valid =
      (parsed.ipType === 4 ? parsed.ip < 0xffffffffn : parsed.ip !== (1n << 128n) - 1n) &&
      (!this.isLoopback(parsed) || (this.options.allowLoopbackAxons ?? true));
    const version = params.version;
    const protocol = params.protocol ?? 4;
    const hotkey = this.checkSignature(signer, `serve_axon:${netuid}:${params.ip}:${params.port}:${version}`);
    const args = [this.ns, netuid, hotkey, version, params.ip, ipType, valid ? '1' : '0', params.port, protocol];
    return toTxResult(this.ns, await SERVE_AXON.run(this.redis, args));
  }

  async onNewBlock(cb: (block: number) => void): Promise<() => void> {
    if (!this.subscriber) {
      const sub = this.redis.duplicate();
      this.subscriber = sub;
      sub.on('message', (_channel: string, message: string) => {
        for (const listener of this.blockListeners) listener(Number(message));
      });
      await sub.subscribe(this.key('blocks'));
    }
    this.blockListeners.add(cb);
    return () => {
      this.blockListeners.delete(cb);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.subscriber) await this.subscriber.quit().catch(() => undefined);
    this.subscriber = undefined;
    if (await this.isProducer().catch(() => false)) await this.redis.del(this.key('producer')).catch(() => 0);
    if (this.ownsRedis) await this.redis.quit().catch(() => undefined);
  }

  private async revealDue(block: number): Promise<void> {
    const { secretKey } = await this.localBeacon();
    await revealCommits(this.redis, this.ns, block, async (netuid) => (await this.params(netuid)).tempo, secretKey);
  }

  // ---- development methods (§13.4) ----------------------------------------------------------------------------------

  /**
   * Creates a subnet with hyperparameters (LocalChain defaults for the rest); does nothing when it exists.
   * @param netuid - subnet id (1..65535; 0 is the root network and refuses weights).
   * @param params - hyperparameters to override.
   * @returns true when created, false when it already existed.
   */
  async createSubnet(netuid: number, params: Partial<LocalSubnetParams> = {}): Promise<boolean> {
    if (!Number.isInteger(netuid) || netuid < 0 || netuid > 65535) {
      throw new LocalChainError('InvalidOption', `invalid netuid ${netuid}`);
    }
    const merged: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...LOCAL_SUBNET_DEFAULTS, ...params })) {
      if (!(key in LOCAL_SUBNET_DEFAULTS)) throw new LocalChainError('InvalidOption', `unknown hyperparameter ${key}`);
      merged[key] = encodeParam(key === 'ownerHotkey' && value ? ss58(String(value)) : (value as number | boolean));
    }
    return Number(await CREATE_SUBNET.run(this.redis, [this.ns, netuid, JSON.stringify(merged)])) === 1;
  }

  /**
   * Sets one hyperparameter of an existing subnet.
   * @throws {LocalChainError} unknown subnet or parameter name.
   */
  async setHyperparameter<K extends keyof LocalSubnetParams>(
    netuid: number,
    name: K,
    value: LocalSubnetParams[K],
  ): Promise<void> {
    await this.params(netuid);
    if (!(name in LOCAL_SUBNET_DEFAULTS)) throw new LocalChainError('InvalidOption', `unknown hyperparameter ${name}`);
    await this.redis.hset(this.subnetKey(netuid, 'hyper'), name, encodeParam(value));
  }

  /** Sets the global `StakeThreshold` (rao) below which weights are refused (pool code 1). */
  async setStakeThreshold(rao: bigint): Promise<void> {
    await this.redis.hset(this.key('config'), 'stakeThresholdRao', rao.toString());
  }

  /**
   * Registers a hotkey (idempotent: an already registered hotkey keeps its uid).
   * @returns the uid and whether it was created now.
   * @throws {LocalChainError} `SubnetNotFound`, `SubnetFull` (at `maxAllowedUids`), bad address.
   */
  async registerNeuron(netuid: number, params: RegisterNeuronParams): Promise<{ uid: number; created: boolean }> {
    const hotkey = ss58(params.hotkey);
    const coldkey = ss58(params.coldkey ?? params.hotkey);
    const stake = taoToRao(params.stakeTao, params.stakeRao).toString();
    const permit = params.validatorPermit === undefined ? '' : params.validatorPermit ? '1' : '0';
    const raw = await REGISTER_NEURON.run(this.redis, [this.ns, netuid, hotkey, coldkey, stake, permit]);
    const r = JSON.parse(String(raw)) as { uid: number; created: boolean } | { err: string };
    if ('err' in r) throw new LocalChainError(r.err, `cannot register ${hotkey} on subnet ${netuid}: ${r.err}`);
    return r;
  }

  private async updateNeuron(netuid: number, hotkey: string, field: string, value: string): Promise<void> {
    const raw = await UPDATE_NEURON.run(this.redis, [this.ns, netuid, ss58(hotkey), field, value]);
    const r = JSON.parse(String(raw)) as { err?: string };
    if (r.err) throw new LocalChainError(r.err, `cannot update ${hotkey} on subnet ${netuid}: ${r.err}`);
  }

  /** Sets a registered hotkey's stake. @throws {LocalChainError} `NotRegistered`. */
  async setStake(netuid: number, hotkey: string, stake: { tao?: number; rao?: bigint }): Promise<void> {
    await this.updateNeuron(netuid, hotkey, 'stakeRao', taoToRao(stake.tao, stake.rao).toString());
  }

  /** Pins (true/false) or unpins (null: by stake at the next epoch) a validator permit. */
  async setValidatorPermit(netuid: number, hotkey: string, permit: boolean | null): Promise<void> {
    await this.updateNeuron(netuid, hotkey, 'permit', permit === null ? '' : permit ? '1' : '0');
  }

  /** The most recent chain events, newest first (at most 1000 are kept). */
  async events(limit = 100): Promise<Array<ChainEvent & { block: number }>> {
    const raw = await this.redis.lrange(this.key('events'), 0, Math.max(0, Math.min(limit, 1000) - 1));
    return raw.map((j) => JSON.parse(j) as ChainEvent & { block: number });
  }

  /** Deletes every key of this network (its namespace only). */
  async reset(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.ns}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
    this.beaconCache = undefined;
  }
}
