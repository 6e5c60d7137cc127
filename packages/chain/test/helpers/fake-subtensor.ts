/**
 * A local subtensor node at the JSON-RPC provider level, for tests of the submission path: it answers start-up and
 * metadata requests from the recorded finney fixtures (spec 343), serves storage values the test sets (SCALE-encoded
 * with the real metadata), and accepts `author_submitAndWatchExtrinsic` like a node: it decodes the extrinsic with the
 * real registry, verifies its signature, then either rejects it (pool error) or includes it in a new block whose
 * `System.Events` are what the test scripted. Nothing leaves the process.
 */
import type { ApiPromise } from '@polkadot/api';
import type {
  ProviderInterface,
  ProviderInterfaceCallback,
  ProviderInterfaceEmitCb,
  ProviderInterfaceEmitted,
} from '@polkadot/rpc-provider/types';
import type { Extrinsic } from '@polkadot/types/interfaces';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { blake2AsU8a, signatureVerify } from '@polkadot/util-crypto';
import type { RecordedExchanges } from '../../src/replay/replay-provider.js';
import { ReplayProvider } from '../../src/replay/replay-provider.js';

export const HEAD_HASH = '0xdb13c066e2c63969f140164fb3bfe7a0aaa7b71407fc0fe525d68e57329ef9d0';
export const HEAD_NUMBER = 6852690;
export const INCLUDED_HASH = `0x${'ab'.repeat(32)}`;

export type SubmitOutcome =
  | { kind: 'reject'; message: string }
  | { kind: 'include'; events: (api: ApiPromise) => Uint8Array[]; finalize?: boolean };

export class FakeSubtensor implements ProviderInterface {
  readonly hasSubscriptions = true;
  readonly isClonable = false;
  readonly isConnected = true;
  readonly replay: ReplayProvider;
  readonly storage = new Map<string, string>();
  readonly submitted: Extrinsic[] = [];
  api: ApiPromise | undefined;
  onSubmit: (ext: Extrinsic) => SubmitOutcome = () => ({ kind: 'include', events: () => [] });
  #block: { header: unknown; extrinsics: string[] } | undefined;
  #eventsHex = '0x00';
  #subId = 0;

  constructor(...exchanges: RecordedExchanges[]) {
    this.replay = new ReplayProvider(...exchanges);
  }

  clone(): ProviderInterface {
    throw new Error('not clonable');
  }
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  on(_type: ProviderInterfaceEmitted, _sub: ProviderInterfaceEmitCb): () => void {
    return () => undefined;
  }

  headHeader(number = HEAD_NUMBER, parentHash = '0x7348409fe36728fa2ac7f0886346fd35b79804d294046d152ba1baccd9d0be3a') {
    return {
      parentHash,
      number: `0x${number.toString(16)}`,
      stateRoot: `0x${'00'.repeat(32)}`,
      extrinsicsRoot: `0x${'00'.repeat(32)}`,
      digest: { logs: [] },
    };
  }

  // biome-ignore lint/suspicious/noExplicitAny: ProviderInterface signature
  async send<T = any>(method: string, params: unknown[]): Promise<T> {
    const p0 = params[0];
    switch (method) {
      case 'chain_getHeader':
        if (p0 === INCLUDED_HASH) return this.headHeader(HEAD_NUMBER + 1, HEAD_HASH) as T;
        return this.headHeader() as T;
      case 'chain_getFinalizedHead':
        return HEAD_HASH as T;
      case 'state_getRuntimeVersion':
        return this.replay.send(method, []);
      case 'system_accountNextIndex':
        return 5 as T;
      case 'state_call':
        if (p0 === 'AccountNonceApi_account_nonce') return '0x05000000' as T;
        break;
      case 'chain_getBlock':
        if (p0 === INCLUDED_HASH && this.#block) return { block: this.#block, justifications: null } as T;
        break;
      case 'state_getStorage':
        if (params[1] === INCLUDED_HASH && typeof p0 === 'string' && this.api) {
          if (p0 === this.api.query.system.events.key()) return this.#eventsHex as T;
        }
        if (typeof p0 === 'string' && this.storage.has(p0)) return this.storage.get(p0) as T;
        if (typeof p0 === 'string' && params[1] === undefined) return null as T;
        break;
      case 'state_queryStorageAt': {
        const keys = p0 as string[];
        return [{ block: HEAD_HASH, changes: keys.map((k) => [k, this.storage.get(k) ?? null]) }] as T;
      }
    }
    return this.replay.send(method, params);
  }

  async subscribe(
    _type: string,
    method: string,
    params: unknown[],
    cb: ProviderInterfaceCallback,
  ): Promise<number | string> {
    const id = ++this.#subId;
    if (method === 'state_subscribeStorage') {
      const keys = params[0] as string[];
      queueMicrotask(() => cb(null, { block: HEAD_HASH, changes: keys.map((k) => [k, this.storage.get(k) ?? null]) }));
      return id;
    }
    if (method === 'chain_subscribeNewHeads' || method === 'chain_subscribeNewHead') {
      queueMicrotask(() => cb(null, this.headHeader()));
      return id;
    }
    if (method === 'state_subscribeRuntimeVersion') {
      const v = await this.replay.send('state_getRuntimeVersion', []);
      queueMicrotask(() => cb(null, v));
      return id;
    }
    if (method === 'author_submitAndWatchExtrinsic') {
      const api = this.api;
      if (!api) throw new Error('FakeSubtensor.api not set');
      const hex = params[0] as string;
      const ext = api.createType('Extrinsic', hex);
      this.#verify(api, ext);
      this.submitted.push(ext);
      const outcome = this.onSubmit(ext);
      if (outcome.kind === 'reject') throw new Error(outcome.message);
      const records = outcome.events(api);
      this.#eventsHex = u8aToHex(u8aConcat(api.createType('Compact<u32>', records.length).toU8a(), ...records));
      this.#block = { header: this.headHeader(HEAD_NUMBER + 1, HEAD_HASH), extrinsics: [hex] };
      setTimeout(() => cb(null, 'ready'), 1);
      setTimeout(() => cb(null, { inBlock: INCLUDED_HASH }), 2);
      if (outcome.finalize) setTimeout(() => cb(null, { finalized: INCLUDED_HASH }), 3);
      return id;
    }
    throw new Error(`FakeSubtensor: no subscription ${method}`);
  }

  async unsubscribe(): Promise<boolean> {
    return true;
  }

  /** A node rejects bad signatures; so does the fake (signature over the V4 signing payload). */
  #verify(api: ApiPromise, ext: Extrinsic): void {
    if (!ext.isSigned) throw new Error('1010: Invalid Transaction: unsigned');
    const payload = api.createType(
      'ExtrinsicPayload',
      {
        method: ext.method.toHex(),
        era: ext.era,
        nonce: ext.nonce,
        tip: ext.tip,
        specVersion: api.runtimeVersion.specVersion,
        transactionVersion: api.runtimeVersion.transactionVersion,
        genesisHash: api.genesisHash,
        // signAndSend signs against the hash of the header the node served (the parent of the latest).
        blockHash: api.createType('Header', this.headHeader()).hash,
        mode: 0,
        metadataHash: null,
      },
      { version: api.extrinsicVersion },
    );
    let msg = payload.toU8a({ method: true });
    if (msg.length > 256) msg = blake2AsU8a(msg);
    if (!signatureVerify(msg, ext.signature.toU8a(), ext.signer.toString()).isValid) {
      throw new Error('1010: Invalid Transaction: Transaction has a bad signature');
    }
  }
}

/** SCALE bytes of one `EventRecord` (phase ApplyExtrinsic(0)) for `section.method(args)`, built from metadata. */
export function eventRecord(api: ApiPromise, section: string, method: string, args: unknown[]): Uint8Array {
  const ev = api.events[section]?.[method];
  if (!ev) throw new Error(`no event ${section}.${method}`);
  const palletName = section.charAt(0).toUpperCase() + section.slice(1);
  const pallet = api.registry.metadata.pallets.find(
    (p) => p.name.toString().toLowerCase() === palletName.toLowerCase(),
  );
  if (!pallet) throw new Error(`no pallet ${section}`);
  const data = ev.meta.fields.map((f, i) => api.createType(api.registry.createLookupType(f.type), args[i]).toU8a());
  const phase = api.createType('Phase', { ApplyExtrinsic: 0 }).toU8a();
  return u8aConcat(phase, [pallet.index.toNumber(), ev.meta.index.toNumber()], ...data, [0]);
}
