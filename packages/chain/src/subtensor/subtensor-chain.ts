import type { ApiPromise } from '@polkadot/api';
import type { ApiDecoration, SubmittableExtrinsic } from '@polkadot/api/types';
import type { ProviderInterface } from '@polkadot/rpc-provider/types';
import type { Codec } from '@polkadot/types/types';
import { u8aToHex } from '@polkadot/util';
import { decodeAddress } from '@polkadot/util-crypto';
import type {
  AxonInfo,
  Beacon,
  Chain,
  ChainSigner,
  Hyperparams,
  Metagraph,
  ServeAxonParams,
  TxResult,
} from '../chain.js';
import { createSubtensorApi, resolveNetwork } from '../connect.js';
import { ChainConnectionError, ChainDecodeError, InvalidNetworkError, NotRegisteredError } from '../errors.js';
import { buildMetagraph, type SubnetStakes } from '../metagraph/build-metagraph.js';
import { decodeNeuronsLite } from '../metagraph/decode-neurons-lite.js';
import { ipToString } from '../metagraph/ip.js';
import { ScaleReader } from '../metagraph/scale-reader.js';
import { readSubnetStakes } from '../metagraph/subnet-state.js';
import { buildTimelockedCommit, QUICKNET_BEACON } from '../timelock/commit.js';
import { convertWeightsAndUidsForEmit, processWeightsForNetuid, U16_MAX } from '../weights/process-weights.js';
import { validateServeAxon } from './serve-axon.js';
import { poolErrorFromRpc, txResultFromEvents } from './tx-result.js';

/** Options of {@link SubtensorChain}. */
export interface SubtensorChainOptions {
  /** Mortal era length in blocks (64–128; default 64). */
  eraPeriod?: number;
  /** Seconds per block, used for the reveal round (default 12). */
  blockTimeS?: number;
  /** Wall clock in unix seconds (injectable for tests). */
  now?: () => number;
  /** Polling interval of `onNewBlock` when the provider has no subscriptions (default 12 000 ms). */
  pollMs?: number;
  /** Give up waiting for inclusion/finalisation after this many ms (default 300 000). */
  submitTimeoutMs?: number;
  /** Submission attempts on transient transport errors (default 3, §7.3); pool and dispatch errors are never retried. */
  maxRetries?: number;
  /** Delay between transport retries in ms (default 2 000). */
  retryDelayMs?: number;
}

type AnyStruct = Codec & { get(name: string): Codec | undefined };
type NumberCodec = Codec & { toNumber(): number; toBigInt(): bigint };

function field(s: Codec, name: string): NumberCodec {
  const v = (s as AnyStruct).get(name);
  if (!v) throw new ChainDecodeError(`missing field ${name}`);
  return v as NumberCodec;
}

/**
 * `Chain` on a real subtensor node through `@polkadot/api` (spec chain.md §2–§10). Construct with
 * {@link SubtensorChain.connect}, or wrap an `ApiPromise` made by `createSubtensorApi`.
 */
export class SubtensorChain implements Chain {
  readonly api: ApiPromise;
  readonly #opts: Required<SubtensorChainOptions>;

  constructor(api: ApiPromise, opts: SubtensorChainOptions = {}) {
    this.api = api;
    const eraPeriod = Math.min(128, Math.max(64, opts.eraPeriod ?? 64));
    this.#opts = {
      eraPeriod,
      blockTimeS: opts.blockTimeS ?? 12,
      now: opts.now ?? (() => Date.now() / 1000),
      pollMs: opts.pollMs ?? 12_000,
      submitTimeoutMs: opts.submitTimeoutMs ?? 300_000,
      maxRetries: Math.max(1, opts.maxRetries ?? 3),
      retryDelayMs: opts.retryDelayMs ?? 2_000,
    };
  }

  /**
   * Connects to a network (finney / test / archive / latent-lite / ws(s) URL) or a given provider.
   * @param args - network name or endpoint, or a provider, plus options.
   * @returns the connected chain.
   * @throws InvalidNetworkError for `local` (use LocalChain) or an unknown name; ChainConnectionError when unreachable.
   */
  static async connect(
    args: {
      network?: string;
      chainEndpoint?: string;
      provider?: ProviderInterface;
      /** Connection timeout in ms (default 30 000). */
      timeoutMs?: number;
    } & SubtensorChainOptions,
  ): Promise<SubtensorChain> {
    const timeout = args.timeoutMs !== undefined ? { timeoutMs: args.timeoutMs } : {};
    if (args.provider) {
      return new SubtensorChain(await createSubtensorApi({ provider: args.provider, ...timeout }), args);
    }
    const net = resolveNetwork(args.network, args.chainEndpoint);
    if (net.kind === 'local') {
      throw new InvalidNetworkError(
        'network "local" is the embedded LocalChain; pass --subtensor.chain_endpoint ws://… for a local subtensor node',
      );
    }
    return new SubtensorChain(await createSubtensorApi({ endpoint: net.url, ...timeout }), args);
  }

  async currentBlock(): Promise<number> {
    const header = await this.api.rpc.chain.getHeader();
    return header.number.toNumber();
  }

  async metagraph(netuid: number): Promise<Metagraph> {
    const hash = await this.api.rpc.chain.getBlockHash();
    const header = await this.api.rpc.chain.getHeader(hash);
    const at = await this.api.at(hash);
    let bytes: Uint8Array;
    const typed = at.call.neuronInfoRuntimeApi?.getNeuronsLite;
    if (typed) {
      bytes = (await typed(netuid)).toU8a();
    } else {
      // Old runtimes: raw runtime call; before 2025-02 the answer is a Vec<u8> around Vec<NeuronInfoLite>.
      const raw = await this.api.rpc.state.call('NeuronInfoRuntimeApi_get_neurons_lite', u8aToHex(u16le(netuid)), hash);
      bytes = raw.toU8a(true);
      try {
        return buildMetagraph(netuid, header.number.toNumber(), decodeNeuronsLite(bytes));
      } catch {
        const r = new ScaleReader(bytes);
        r.compact();
        bytes = bytes.subarray(r.offset);
      }
    }
    const neurons = decodeNeuronsLite(bytes);
    const stakes = await this.#subnetStakes(at, netuid, hash.toHex());
    return buildMetagraph(netuid, header.number.toNumber(), neurons, stakes);
  }

  /**
   * Per-uid stakes from `SubnetInfoRuntimeApi.get_subnet_state` (§5.1): the raw runtime call with only the stake
   * vectors read (the typed decode of the whole struct blocks the event loop for over a second on 1024 uids), then the
   * typed call, then undefined (the metagraph falls back to the NeuronInfoLite stake entries).
   */
  async #subnetStakes(at: ApiDecoration<'promise'>, netuid: number, hash: string): Promise<SubnetStakes | undefined> {
    const apis = at.registry.metadata.apis;
    const method = apis
      .find((a) => a.name.toString() === 'SubnetInfoRuntimeApi')
      ?.methods.find((m) => m.name.toString() === 'get_subnet_state');
    if (method) {
      try {
        const raw = await this.api.rpc.state.call(
          'SubnetInfoRuntimeApi_get_subnet_state',
          u8aToHex(u16le(netuid)),
          hash,
        );
        return readSubnetStakes(at.registry, method.output.toNumber(), raw.toU8a(true)) ?? undefined;
      } catch {
        // fall through to the typed call
      }
    }
    const typed = at.call.subnetInfoRuntimeApi?.getSubnetState;
    if (!typed) return undefined;
    try {
      const opt = (await typed(netuid)) as unknown as { isSome: boolean; unwrap(): Codec };
      if (!opt.isSome) return undefined;
      const st = opt.unwrap();
      const vec = (name: string) =>
        (((st as AnyStruct).get(name) as unknown as NumberCodec[] | undefined) ?? []).map((x) => x.toBigInt());
      return { alphaStakeRao: vec('alphaStake'), taoStakeRao: vec('taoStake'), totalStakeRao: vec('totalStake') };
    } catch {
      return undefined;
    }
  }

  async hyperparams(netuid: number): Promise<Hyperparams> {
    const q = this.api.query.subtensorModule;
    if (!q) throw new ChainDecodeError('runtime has no SubtensorModule pallet');
    const num = async (name: string): Promise<number> => {
      const fn = q[name];
      if (!fn) throw new ChainDecodeError(`runtime has no SubtensorModule.${name} storage`);
      return ((await fn(netuid)) as NumberCodec).toNumber();
    };
    const crFn = q.commitRevealWeightsEnabled;
    if (!crFn) throw new ChainDecodeError('runtime has no SubtensorModule.commitRevealWeightsEnabled storage');
    const [
      tempo,
      weightsRateLimit,
      weightsVersionKey,
      minAllowedWeights,
      maxWeightsLimit,
      commitReveal,
      revealPeriodEpochs,
      servingRateLimit,
      immunityPeriod,
      activityCutoff,
      maxAllowedUids,
    ] = await Promise.all([
      num('tempo'),
      num('weightsSetRateLimit'),
      num('weightsVersionKey'),
      num('minAllowedWeights'),
      num('maxWeightsLimit'),
      crFn(netuid),
      q.revealPeriodEpochs ? num('revealPeriodEpochs') : Promise.resolve(1),
      num('servingRateLimit'),
      num('immunityPeriod'),
      num('activityCutoff'),
      num('maxAllowedUids'),
    ]);
    return {
      tempo,
      weightsRateLimit,
      weightsVersionKey,
      minAllowedWeights,
      maxWeightsLimit,
      commitRevealEnabled: (commitReveal as unknown as { isTrue: boolean }).isTrue,
      revealPeriodEpochs,
      servingRateLimit,
      immunityPeriod,
      activityCutoff,
      maxAllowedUids,
    };
  }

  async uidOf(netuid: number, hotkey: string): Promise<number | null> {
    const opt = (await this.#query('uids', netuid, hotkey)) as unknown as { isSome: boolean; unwrap(): NumberCodec };
    return opt.isSome ? opt.unwrap().toNumber() : null;
  }

  async axonInfo(netuid: number, hotkey: string): Promise<AxonInfo | null> {
    const [axon, owner] = await Promise.all([this.#query('axons', netuid, hotkey), this.#query('owner', hotkey)]);
    const opt = axon as unknown as { isSome: boolean; unwrap(): Codec };
    if (!opt.isSome) return null;
    const a = opt.unwrap();
    return {
      block: field(a, 'block').toNumber(),
      version: field(a, 'version').toNumber(),
      ip: ipToString(field(a, 'ip').toBigInt()),
      port: field(a, 'port').toNumber(),
      ipType: field(a, 'ipType').toNumber(),
      protocol: field(a, 'protocol').toNumber(),
      placeholder1: field(a, 'placeholder1').toNumber(),
      placeholder2: field(a, 'placeholder2').toNumber(),
      hotkey,
      coldkey: owner.toString(),
    };
  }

  async lastUpdate(netuid: number): Promise<number[]> {
    const v = (await this.#query('lastUpdate', netuid)) as unknown as NumberCodec[];
    return [...v].map((x) => x.toNumber());
  }

  async beacon(): Promise<Beacon> {
    return QUICKNET_BEACON;
  }

  /**
   * Registration check.
   * @param netuid - subnet.
   * @param hotkey - ss58 hotkey.
   * @returns true when the hotkey has a uid on the subnet.
   */
  async isRegistered(netuid: number, hotkey: string): Promise<boolean> {
    return (await this.uidOf(netuid, hotkey)) !== null;
  }

  async emitWeights(
    signer: ChainSigner,
    netuid: number,
    uids: number[],
    floatWeights: number[],
    versionKey: number,
  ): Promise<TxResult> {
    const [hp, uid, lastUpdate, block] = await Promise.all([
      this.hyperparams(netuid),
      this.uidOf(netuid, signer.address),
      this.lastUpdate(netuid),
      this.currentBlock(),
    ]);
    if (uid === null) {
      throw new NotRegisteredError(`hotkey ${signer.address} is not registered on netuid ${netuid}`, {
        details: { netuid, hotkey: signer.address },
      });
    }
    const last = lastUpdate[uid] ?? 0;
    // Python's strict '>' (§7.3): wait for the next window instead of paying for a pool rejection.
    if (last !== 0 && block - last <= hp.weightsRateLimit) {
      return {
        ok: false,
        events: [],
        error: {
          kind: 'pool',
          code: 6,
          message: `weights rate limit: last update ${last}, next window after block ${last + hp.weightsRateLimit}`,
        },
      };
    }
    const n = lastUpdate.length;
    const processed = processWeightsForNetuid(
      uids,
      floatWeights,
      n,
      hp.minAllowedWeights,
      hp.maxWeightsLimit / U16_MAX,
    );
    const emit = convertWeightsAndUidsForEmit(processed.uids, processed.weights);
    const sm = this.api.tx.subtensorModule;
    if (!sm?.setWeights || !sm.commitTimelockedWeights) throw new ChainDecodeError('runtime lacks weight calls');
    let tx: SubmittableExtrinsic<'promise'>;
    if (!hp.commitRevealEnabled) {
      tx = sm.setWeights(netuid, emit.uids, emit.weights, versionKey);
    } else {
      const firstRevealBlock = await this.#firstRevealBlock(netuid, block, hp.tempo, hp.revealPeriodEpochs);
      const { commit, revealRound } = buildTimelockedCommit({
        ...(firstRevealBlock !== undefined ? { firstRevealBlock } : {}),
        currentBlock: block,
        tempo: hp.tempo,
        netuid,
        revealPeriodEpochs: hp.revealPeriodEpochs,
        nowUnix: this.#opts.now(),
        blockTimeS: this.#opts.blockTimeS,
        hotkey: decodeAddress(signer.address),
        uids: emit.uids,
        values: emit.weights,
        versionKey,
        beacon: await this.beacon(),
      });
      tx = sm.commitTimelockedWeights(netuid, u8aToHex(commit), revealRound, 4);
    }
    return this.#submitWithRetry(tx, signer, 'inBlock');
  }

  /**
   * First block of the reveal epoch from chain state when the runtime exposes
   * `SubnetInfoRuntimeApi.get_next_epoch_start_block` (stateful epoch schedule, §10.1); undefined otherwise, so the
   * modulo formula applies.
   */
  async #firstRevealBlock(
    netuid: number,
    block: number,
    tempo: number,
    revealPeriod: number,
  ): Promise<number | undefined> {
    const fn = this.api.call.subnetInfoRuntimeApi?.getNextEpochStartBlock;
    if (!fn) return undefined;
    try {
      const opt = (await fn(netuid)) as unknown as { isSome?: boolean; unwrap?: () => NumberCodec } & NumberCodec;
      const next = opt.unwrap ? (opt.isSome ? opt.unwrap().toNumber() : undefined) : opt.toNumber();
      if (next === undefined) return undefined;
      // Lookahead: an epoch firing in the commit block itself counts as already started.
      return next <= block ? next + revealPeriod * tempo : next + (revealPeriod - 1) * tempo;
    } catch {
      return undefined;
    }
  }

  async serveAxon(signer: ChainSigner, netuid: number, params: ServeAxonParams): Promise<TxResult> {
    const v = validateServeAxon(params);
    if ((await this.uidOf(netuid, signer.address)) === null) {
      throw new NotRegisteredError(`hotkey ${signer.address} is not registered on netuid ${netuid}`, {
        details: { netuid, hotkey: signer.address },
      });
    }
    const current = await this.axonInfo(netuid, signer.address);
    if (
      current &&
      current.ip === v.ipText &&
      current.port === v.port &&
      current.ipType === v.ipType &&
      current.protocol === v.protocol &&
      current.version === v.version &&
      current.placeholder1 === 0 &&
      current.placeholder2 === 0
    ) {
      return { ok: true, events: [], skipped: 'unchanged' };
    }
    const sm = this.api.tx.subtensorModule;
    if (!sm?.serveAxon) throw new ChainDecodeError('runtime lacks serve_axon');
    const tx = sm.serveAxon(netuid, v.version, v.ip, v.port, v.ipType, v.protocol, 0, 0);
    return this.#submitWithRetry(tx, signer, 'finalized');
  }

  async onNewBlock(cb: (block: number) => void): Promise<() => void> {
    if (this.api.hasSubscriptions) {
      return this.api.rpc.chain.subscribeNewHeads((h) => cb(h.number.toNumber()));
    }
    let last = -1;
    const tick = async () => {
      try {
        const b = await this.currentBlock();
        if (b !== last) {
          last = b;
          cb(b);
        }
      } catch {
        // transient; the next tick retries
      }
    };
    void tick();
    const timer = setInterval(tick, this.#opts.pollMs);
    return () => clearInterval(timer);
  }

  async close(): Promise<void> {
    await this.api.disconnect();
  }

  async #query(name: string, ...args: unknown[]): Promise<Codec> {
    const fn = this.api.query.subtensorModule?.[name];
    if (!fn) throw new ChainDecodeError(`runtime has no SubtensorModule.${name} storage`);
    return fn(...args);
  }

  async #submitWithRetry(
    tx: SubmittableExtrinsic<'promise'>,
    signer: ChainSigner,
    waitFor: 'inBlock' | 'finalized',
  ): Promise<TxResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#submit(tx, signer, waitFor);
      } catch (err) {
        if (!(err instanceof ChainConnectionError) || attempt >= this.#opts.maxRetries) throw err;
        await new Promise((r) => setTimeout(r, this.#opts.retryDelayMs));
      }
    }
  }

  #submit(
    tx: SubmittableExtrinsic<'promise'>,
    signer: ChainSigner,
    waitFor: 'inBlock' | 'finalized',
  ): Promise<TxResult> {
    return new Promise<TxResult>((resolve, reject) => {
      let unsub: (() => void) | undefined;
      let done = false;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsub?.();
        fn();
      };
      const timer = setTimeout(
        () => finish(() => reject(new ChainConnectionError(`extrinsic not ${waitFor} in time`))),
        this.#opts.submitTimeoutMs,
      );
      tx.signAndSend(signer, { era: this.#opts.eraPeriod, nonce: -1, tip: 0 }, (result) => {
        const s = result.status;
        if ((waitFor === 'inBlock' && s.isInBlock) || s.isFinalized) {
          const hash = (s.isInBlock ? s.asInBlock : s.asFinalized).toHex();
          finish(() => resolve(txResultFromEvents(this.api, result.events, hash)));
        } else if (s.isDropped || s.isInvalid || s.isUsurped) {
          finish(() => resolve({ ok: false, events: [], error: { kind: 'pool', code: 255, message: s.type } }));
        }
      })
        .then((u) => {
          unsub = u;
          if (done) u();
        })
        .catch((err: unknown) => {
          const pool = poolErrorFromRpc(err);
          finish(() =>
            pool
              ? resolve({ ok: false, events: [], error: pool })
              : reject(new ChainConnectionError('submitting the extrinsic failed', { cause: err })),
          );
        });
    });
  }
}

function u16le(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >> 8) & 0xff]);
}
