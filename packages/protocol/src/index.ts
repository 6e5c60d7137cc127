export { bodyHash, bodyHashFor, EMPTY_BODY_HASH, sha3Hex } from './body-hash.js';
export { type DefineSynapseOptions, defineSynapse } from './define-synapse.js';
export {
  BodyValidationError,
  DojoError,
  type DojoErrorOptions,
  InvalidVersionError,
  SynapseParsingError,
  UnknownSynapseError,
} from './errors.js';
export { decodeHeaders, type EncodeHeadersOptions, encodeHeaders, type HeaderSynapse } from './headers.js';
export { JsonParseError, parseJson, parseJsonOrdered } from './json.js';
export { type ParseSynapseBodyResult, parseSynapseBody } from './parse-synapse-body.js';
export { parsePyFloat, parsePyInt } from './py-cast.js';
export { type PyType, py } from './py-type.js';
export { pyFloatRepr, pyStrRepr, pythonStr } from './python-str.js';
export { getSynapseDefinition, synapseRegistry } from './registry.js';
export { axonSignatureMessage, type SignatureMessageParams, signatureMessage } from './signature-message.js';
export { stringifyJson } from './stringify-json.js';
export {
  DEFAULT_TIMEOUT_S,
  emptyTerminalInfo,
  PROTOCOL_VERSION,
  SYNAPSE_BASE_FIELDS,
  type Synapse,
  type SynapseBase,
  type SynapseDefinition,
  TERMINAL_INFO_FIELDS,
  type TerminalInfo,
  TerminalInfoSchema,
  V_7_2_0,
} from './synapse.js';
export { type ChunkSynapse, ChunkSynapseDef, ChunkSynapseSchema } from './synapses/chunk-synapse.js';
export {
  type AWSCredentials,
  AWSCredentialsSchema,
  type Completion,
  CompletionSchema,
  type Modality,
  type ModelConfig,
  ModelConfigSchema,
  type Provider,
  type Rank,
  RankSchema,
  SCORING_METHODS,
  type ScoringMethod,
} from './synapses/models.js';
export { type MTurkResponse, MTurkResponseDef, MTurkResponseSchema } from './synapses/mturk-response.js';
export { type RankingRequest, RankingRequestDef, RankingRequestSchema } from './synapses/ranking-request.js';
export { type RankingResult, RankingResultDef, RankingResultSchema } from './synapses/ranking-result.js';
export { SynapseDef } from './synapses/synapse.js';
export { versionAsInt } from './version.js';
