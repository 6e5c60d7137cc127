import { bodyHashFor } from './body-hash.js';
import { BodyValidationError, SynapseParsingError } from './errors.js';
import { parseJson, setOwn } from './json.js';
import { parsePyFloat, parsePyInt } from './py-cast.js';
import type { PyType } from './py-type.js';
import { pyFloatRepr } from './python-str.js';
import { type Synapse, type SynapseDefinition, TERMINAL_INFO_FIELDS, type TerminalInfo } from './synapse.js';
import { coerceTerminalInfo } from './validate.js';

const AXON = 'bt_header_axon_';
const DENDRITE = 'bt_header_dendrite_';
const INPUT_OBJ = 'bt_header_input_obj';
const INPUT_OBJ_ = 'bt_header_input_obj_';

function between(key: string, sep: string, at: number): string {
  const start = at + sep.length;
  const end = key.indexOf(sep, start);
  return end < 0 ? key.slice(start) : key.slice(start, end);
}

// Header values are Python str() of the declared type: process_time is a float (`1.0`, never `1`).
function terminalValue(field: keyof TerminalInfo, value: unknown): string {
  return field === 'process_time' && typeof value === 'number' ? pyFloatRepr(value) : String(value);
}

// Python sends json.dumps(type(value)()): the empty value of the field's runtime type, never the real value.
function emptyDefaultJson(type: PyType, value: unknown): string {
  switch (type.kind) {
    case 'str':
    case 'literal':
      return '""';
    case 'int':
      return '0';
    case 'float':
      return '0.0';
    case 'bool':
      return 'false';
    case 'list':
    case 'tuple':
      return '[]';
    case 'dict':
    case 'model':
      return '{}';
    case 'optional':
      return emptyDefaultJson(type.inner, value);
    case 'any':
      if (typeof value === 'string') return '""';
      if (typeof value === 'boolean') return 'false';
      if (typeof value === 'bigint') return '0';
      if (typeof value === 'number') return Number.isInteger(value) ? '0' : '0.0';
      return Array.isArray(value) ? '[]' : '{}';
  }
}

// Header names per TerminalInfo field, built once: `[field, bt_header_axon_<field>, bt_header_dendrite_<field>]`.
const TERMINAL_HEADER_NAMES = TERMINAL_INFO_FIELDS.map((k) => [k, AXON + k, DENDRITE + k] as const);

function addTerminal(headers: Record<string, string>, side: 1 | 2, info: TerminalInfo | null | undefined): void {
  if (!info) return;
  for (const names of TERMINAL_HEADER_NAMES) {
    const v = info[names[0]];
    if (v !== null && v !== undefined) headers[names[side]] = terminalValue(names[0], v);
  }
}

// Per-definition work done once: the `bt_header_input_obj_*` name and declared type of each required field.
const inputObjPlans = new WeakMap<SynapseDefinition, ReadonlyArray<readonly [string, PyType, string]>>();
function inputObjPlan(def: SynapseDefinition): ReadonlyArray<readonly [string, PyType, string]> {
  let plan = inputObjPlans.get(def);
  if (plan === undefined) {
    plan = def.requiredFields.flatMap((field) => {
      const type = def.fieldTypes[field];
      return type === undefined ? [] : [[field, type, `bt_header_input_obj_${field}`] as const];
    });
    inputObjPlans.set(def, plan);
  }
  return plan;
}

// base64 of the few possible empty-value JSON texts (seven at most), computed once each.
const base64Memo = new Map<string, string>();
function base64Of(json: string): string {
  let b = base64Memo.get(json);
  if (b === undefined) {
    b = btoa(json);
    base64Memo.set(json, b);
  }
  return b;
}

/** Options of {@link encodeHeaders}. */
export interface EncodeHeadersOptions {
  /**
   * The synapse's body hash when the caller already computed it (e.g. the value {@link parseSynapseBody} returned,
   * or the one that was signed), so it is not computed a second time. It must be `bodyHashFor(def, synapse)`.
   */
  bodyHash?: string;
}

/**
 * Header set of a synapse (wire.md §4.1): lowercase names; `computed_body_hash` computed here over the declared hash
 * fields (or taken from `options.bodyHash`); `bt_header_input_obj_*` (base64 JSON of the type's empty value) for
 * every required non-null field. `header_size` and `total_size` are written as set on the synapse (informational).
 *
 * @param def - The synapse definition.
 * @param synapse - The filled synapse (dendrite/axon TerminalInfo, payload fields).
 * @param options - A precomputed body hash.
 * @returns Header name → value.
 * @throws {BodyValidationError} when a hash field does not fit its declared type (only when the hash is computed).
 * @example encodeHeaders(SynapseDef, SynapseDef.create({})).computed_body_hash // => 'a7ffc6f8…434a'
 */
export function encodeHeaders(
  def: SynapseDefinition,
  synapse: Synapse,
  options?: EncodeHeadersOptions,
): Record<string, string> {
  const headers: Record<string, string> = { name: def.name };
  if (synapse.timeout !== null && synapse.timeout !== undefined) headers['timeout'] = pyFloatRepr(synapse.timeout);
  addTerminal(headers, 1, synapse.axon);
  addTerminal(headers, 2, synapse.dendrite);
  const payload = synapse as Record<string, unknown>;
  for (const [field, type, headerName] of inputObjPlan(def)) {
    const value = payload[field];
    if (value === null || value === undefined || field in headers) continue;
    headers[headerName] = base64Of(emptyDefaultJson(type, value));
  }
  headers['header_size'] = String(synapse.header_size ?? 0);
  headers['total_size'] = String(synapse.total_size ?? 0);
  headers['computed_body_hash'] = options?.bodyHash ?? bodyHashFor(def, payload);
  return headers;
}

/** The synapse an axon rebuilds from headers only (blacklist, verify and priority see this). */
export interface HeaderSynapse {
  name: string | null;
  timeout: number | null;
  total_size: number | null;
  header_size: number | null;
  /** `""` when the header is absent. */
  computed_body_hash: string;
  dendrite: TerminalInfo;
  axon: TerminalInfo;
  /** Decoded `bt_header_input_obj_*` values by field name (undecodable ones are skipped, as upstream does). */
  inputObj: Record<string, unknown>;
}

function single(name: string, value: string | string[] | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const distinct = new Set(value);
  if (distinct.size > 1)
    throw new SynapseParsingError(`conflicting values for header '${name}'`, { details: { header: name } });
  return value[0];
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const NOT_BASE64 = /[^A-Za-z0-9+/=]/g;
const HAS_NOT_BASE64 = /[^A-Za-z0-9+/=]/;
// Decoded input_obj values of the common short headers (`IiI=`, `W10=`, `e30=`, ...): primitives only, so callers never
// share a mutable value; bounded.
const decodedMemo = new Map<string, string | number | boolean | null>();
const DECODED_MEMO_MAX = 64;

function decodeBase64Json(value: string): { ok: true; value: unknown } | { ok: false } {
  const hit = decodedMemo.get(value);
  if (hit !== undefined) return { ok: true, value: hit };
  let decoded: unknown;
  try {
    // Python's b64decode discards characters outside the alphabet before decoding.
    const binary = atob(HAS_NOT_BASE64.test(value) ? value.replace(NOT_BASE64, '') : value);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    decoded = parseJson(utf8Fatal.decode(bytes));
  } catch {
    return { ok: false };
  }
  if (
    value.length <= 24 &&
    decodedMemo.size < DECODED_MEMO_MAX &&
    (decoded === null || (typeof decoded !== 'object' && typeof decoded !== 'bigint'))
  ) {
    decodedMemo.set(value, decoded as string | number | boolean | null);
  }
  return { ok: true, value: decoded };
}

function headerNumber(name: string, value: string | undefined, int: boolean): number | null {
  if (value === undefined) return null;
  const n = int ? parsePyInt(value) : parsePyFloat(value);
  if (n === null || (int && (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)))) {
    throw new SynapseParsingError(`header '${name}': expected ${int ? 'integer' : 'number'}`, {
      details: { header: name },
    });
  }
  return Number(n);
}

function toTerminal(obj: Record<string, string>, side: string): TerminalInfo {
  try {
    return coerceTerminalInfo(obj, side);
  } catch (err) {
    if (err instanceof BodyValidationError) {
      throw new SynapseParsingError(`header bt_header_${err.field.replace('.', '_')}: ${err.reason}`, {
        details: { field: err.field, reason: err.reason },
        cause: err,
      });
    }
    throw err;
  }
}

/**
 * Rebuilds the header-derived synapse (wire.md §4.3): `bt_header_axon_*`/`bt_header_dendrite_*` by case-sensitive
 * substring match, `bt_header_input_obj_*` base64+JSON decoded, the five plain headers case-insensitively, numeric
 * values cast like Python `int()`/`float()`, the nonce as a bigint.
 *
 * @param headers - Incoming headers (fastify/undici shape).
 * @returns The header-derived synapse.
 * @throws {SynapseParsingError} on malformed values (non-int port, bad nonce, non-float timeout, conflicting duplicates).
 * @example decodeHeaders({ timeout: '12.0', bt_header_dendrite_nonce: '1732358400123456789' }).dendrite.nonce // => 1732358400123456789n
 */
export function decodeHeaders(headers: Record<string, string | string[] | undefined>): HeaderSynapse {
  const axon: Record<string, string> = {};
  const dendrite: Record<string, string> = {};
  const inputObj: Record<string, unknown> = {};
  const plain = new Map<string, string>();
  for (const key of Object.keys(headers)) {
    const value = single(key, headers[key]);
    if (value === undefined) continue;
    // `sub` is what Python's `key.split(prefix)[1]` gives: the text between the first and the next occurrence.
    let at = key.indexOf(AXON);
    if (at >= 0) {
      setOwn(axon, between(key, AXON, at), value);
      continue;
    }
    at = key.indexOf(DENDRITE);
    if (at >= 0) {
      setOwn(dendrite, between(key, DENDRITE, at), value);
      continue;
    }
    if (key.includes(INPUT_OBJ)) {
      at = key.indexOf(INPUT_OBJ_);
      if (at < 0) continue;
      const sub = between(key, INPUT_OBJ_, at);
      if (sub === 'axon' || sub === 'dendrite') continue;
      const decoded = decodeBase64Json(value);
      if (decoded.ok) setOwn(inputObj, sub, decoded.value);
      continue;
    }
    const lower = key.toLowerCase();
    if (!plain.has(lower)) plain.set(lower, value);
  }
  return {
    name: plain.get('name') ?? null,
    timeout: headerNumber('timeout', plain.get('timeout'), false),
    total_size: headerNumber('total_size', plain.get('total_size'), true),
    header_size: headerNumber('header_size', plain.get('header_size'), true),
    computed_body_hash: plain.get('computed_body_hash') ?? '',
    dendrite: toTerminal(dendrite, 'dendrite'),
    axon: toTerminal(axon, 'axon'),
    inputObj,
  };
}
