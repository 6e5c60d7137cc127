import {
  emptyTerminalInfo,
  encodeHeaders,
  PROTOCOL_VERSION,
  type Synapse,
  type SynapseDefinition,
  stringifyJson,
} from '@dojo-ts/protocol';
import { signSynapse } from '../src/dendrite/sign.js';
import { createSr25519Signer, type Signer } from '../src/signer.js';

/** Deterministic test hotkeys: seed bytes all equal to `n`. */
export function seededSigner(n: number): Promise<Signer> {
  return createSr25519Signer(new Uint8Array(32).fill(n));
}

/** A controllable wall clock in ns, starting at the real time. */
export function testClock(): { now: bigint; nowNs: () => bigint; advanceS: (s: number) => void } {
  const clock = {
    now: BigInt(Date.now()) * 1_000_000n,
    nowNs: () => clock.now,
    advanceS: (s: number) => {
      clock.now += BigInt(Math.round(s * 1e9));
    },
  };
  return clock;
}

export interface CraftOptions {
  def: SynapseDefinition;
  fields?: Record<string, unknown>;
  signer: Signer;
  /** The hotkey the signature is bound to (the target axon). */
  axonHotkey: string;
  nonce: bigint;
  uuid?: string;
  version?: number | null;
  timeout?: number;
}

/** Builds a signed request exactly as the Dojo TS dendrite does (protocol header codec + signSynapse). */
export function craft(o: CraftOptions): {
  url: string;
  headers: Record<string, string>;
  body: string;
  synapse: Synapse;
} {
  const synapse = o.def.create(o.fields ?? {}) as Synapse;
  synapse.timeout = o.timeout ?? 12;
  synapse.dendrite = {
    ...emptyTerminalInfo(),
    ip: '10.0.0.2',
    version: o.version === undefined ? PROTOCOL_VERSION : o.version,
    nonce: o.nonce,
    uuid: o.uuid ?? 'a4b5c6d0-0000-11f1-8000-000000000001',
    hotkey: o.signer.address,
  };
  synapse.axon = { ...emptyTerminalInfo(), ip: '127.0.0.1', port: 8091, hotkey: o.axonHotkey };
  signSynapse(o.signer, o.def, synapse);
  const headers = { ...encodeHeaders(o.def, synapse), 'content-type': 'application/json' };
  return { url: `/${o.def.name}`, headers, body: stringifyJson(synapse), synapse };
}

/** `{message}` of a JSON error reply. */
export function messageOf(body: string): string {
  return (JSON.parse(body) as { message: string }).message;
}
