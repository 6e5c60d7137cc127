import { encodeHeaders, type HeaderSynapse, type Synapse, SynapseDef, type SynapseDefinition } from '@dojo-ts/protocol';

// Node refuses header values outside HTAB / SP-~ / obs-text; user-controlled text (paths, reasons) must not crash a reply.
const INVALID_HEADER_CHARS = /[^\t\x20-\x7e\x80-\xff]/g;
const HAS_INVALID_HEADER_CHAR = /[^\t\x20-\x7e\x80-\xff]/;

/** Header values safe for `reply.header`: invalid characters become `?` (values are almost always clean). */
export function safeHeaders(headers: Record<string, string>): Record<string, string> {
  for (const k in headers) {
    const v = headers[k] as string;
    if (HAS_INVALID_HEADER_CHAR.test(v)) headers[k] = v.replace(INVALID_HEADER_CHARS, '?');
  }
  return headers;
}

/**
 * Turns the header-derived synapse into a full synapse of `def` for the error-response header set (§11); falls back
 * to the base `Synapse` when the `input_obj` values do not validate.
 */
export function headerSynapseAsSynapse(def: SynapseDefinition | undefined, hs: HeaderSynapse, name: string): Synapse {
  const base = {
    timeout: hs.timeout ?? 12,
    total_size: hs.total_size ?? 0,
    header_size: hs.header_size ?? 0,
    dendrite: hs.dendrite,
    axon: hs.axon,
  };
  if (def) {
    try {
      return { ...def.create({ ...hs.inputObj }), ...base, name };
    } catch {
      // input_obj values of the wrong type: the base synapse still carries the status headers.
    }
  }
  return { ...SynapseDef.create({}), ...base, name };
}

/**
 * The §4 header set of `synapse` for a response, made safe for Node; never throws (falls back to the base synapse).
 * `bodyHash`, when given, must be the synapse's body hash (saves computing it again).
 */
export function responseHeaders(def: SynapseDefinition, synapse: Synapse, bodyHash?: string): Record<string, string> {
  try {
    return safeHeaders(encodeHeaders(def, synapse, bodyHash === undefined ? undefined : { bodyHash }));
  } catch {
    const { dendrite, axon, name, timeout } = synapse;
    return safeHeaders(encodeHeaders(SynapseDef, { ...SynapseDef.create({}), dendrite, axon, name, timeout }));
  }
}

/** Python `repr` of a list of names, as in upstream's 404 message: `['Synapse', 'RankingRequest']`. */
export function pyNameList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(', ')}]`;
}
