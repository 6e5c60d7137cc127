import { type TObject, Type } from '@sinclair/typebox';
import type { PyType } from './py-type.js';

/** Dojo TS protocol version integer (bittensor 7.4.0), sent as `dendrite.version`/`axon.version`. */
export const PROTOCOL_VERSION = 7004000;
/** Version from which axons apply the nonce freshness window (wire.md §10.1). */
export const V_7_2_0 = 7002000;
/** Python `Synapse.timeout` default in seconds. */
export const DEFAULT_TIMEOUT_S = 12.0;

/** Who reached whom, and how it went: one for the calling side (`dendrite`), one for the serving side (`axon`). */
export interface TerminalInfo {
  status_code: number | null;
  status_message: string | null;
  /** Seconds (float). */
  process_time: number | null;
  ip: string | null;
  port: number | null;
  version: number | null;
  /** Nanosecond timestamp, above 2^53. */
  nonce: bigint | null;
  uuid: string | null;
  /** ss58 address. */
  hotkey: string | null;
  /** `0x` + 128 hex characters. */
  signature: string | null;
}

/** TerminalInfo field names in declaration order (the order Python emits them). */
export const TERMINAL_INFO_FIELDS = [
  'status_code',
  'status_message',
  'process_time',
  'ip',
  'port',
  'version',
  'nonce',
  'uuid',
  'hotkey',
  'signature',
] as const satisfies ReadonlyArray<keyof TerminalInfo>;

/** Declared Python types of the TerminalInfo fields (all `Optional`). */
export const TERMINAL_INFO_TYPES: Readonly<Record<keyof TerminalInfo, PyType>> = {
  status_code: { kind: 'optional', inner: { kind: 'int' } },
  status_message: { kind: 'optional', inner: { kind: 'str' } },
  process_time: { kind: 'optional', inner: { kind: 'float' } },
  ip: { kind: 'optional', inner: { kind: 'str' } },
  port: { kind: 'optional', inner: { kind: 'int' } },
  version: { kind: 'optional', inner: { kind: 'int' } },
  nonce: { kind: 'optional', inner: { kind: 'int' } },
  uuid: { kind: 'optional', inner: { kind: 'str' } },
  hotkey: { kind: 'optional', inner: { kind: 'str' } },
  signature: { kind: 'optional', inner: { kind: 'str' } },
};

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** TypeBox schema of a TerminalInfo as it appears in a JSON body (`nonce` may be a JSON integer or a bigint). */
export const TerminalInfoSchema = Type.Object({
  status_code: nullable(Type.Integer()),
  status_message: nullable(Type.String()),
  process_time: nullable(Type.Number()),
  ip: nullable(Type.String()),
  port: nullable(Type.Integer()),
  version: nullable(Type.Integer()),
  nonce: Type.Union([Type.Integer(), Type.BigInt(), Type.Null()]),
  uuid: nullable(Type.String()),
  hotkey: nullable(Type.String()),
  signature: nullable(Type.String()),
});

/**
 * A TerminalInfo with every field `null` (Python's default).
 *
 * @returns A fresh object.
 * @example emptyTerminalInfo().nonce // => null
 */
export function emptyTerminalInfo(): TerminalInfo {
  return {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: null,
    port: null,
    version: null,
    nonce: null,
    uuid: null,
    hotkey: null,
    signature: null,
  };
}

/** The base fields every synapse body carries (wire.md §3.1, §5). */
export type SynapseBase = {
  /** Always the class/route name. */
  name: string;
  /** Seconds; set by the dendrite to the query timeout. */
  timeout: number;
  /** Informational size of the body in bytes. */
  total_size: number;
  /** Informational size of the headers in bytes. */
  header_size: number;
  /** Always `""` in bodies; only the header carries the real hash. */
  computed_body_hash: string;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
};

/** The flat wire object: base fields plus payload fields. */
export type Synapse<F extends object = Record<string, unknown>> = SynapseBase & F;

/** Base field names, in Python declaration order. */
export const SYNAPSE_BASE_FIELDS = [
  'name',
  'timeout',
  'total_size',
  'header_size',
  'dendrite',
  'axon',
  'computed_body_hash',
] as const satisfies ReadonlyArray<keyof SynapseBase>;

/** Everything the axon, the dendrite and the body hash need to know about one synapse class. */
export interface SynapseDefinition<F extends object = Record<string, unknown>> {
  /** Route / class name, e.g. `RankingRequest`. */
  name: string;
  /** TypeBox schema of the payload fields only (with defaults). */
  schema: TObject;
  /** Declared Python type of every payload field, in declaration order. */
  fieldTypes: Readonly<Record<string, PyType>>;
  /** Default factories of the payload fields that may be omitted. */
  fieldDefaults: Readonly<Record<string, () => unknown>>;
  /** Payload fields without a default, in declaration order (they get `bt_header_input_obj_*`). */
  requiredFields: readonly string[];
  /** Fields covered by the body hash, in order (wire.md W6). */
  requiredHashFields: readonly string[];
  /** Typical query timeout in seconds (wire.md §15). */
  defaultTimeoutS: number;
  /**
   * Builds a synapse: validates the given payload fields, applies defaults, fills the base fields.
   * @throws {BodyValidationError} when a field is missing or has the wrong type.
   */
  create(fields: Partial<F> & Record<string, unknown>): Synapse<F>;
}
