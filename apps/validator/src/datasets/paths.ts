import { fileURLToPath } from 'node:url';

/** Directory of the bundled data files (`apps/validator/data`). */
export const DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

/** Bundled seed prompts (rows `{prompt, responses: [{response}], num_completions}`). */
export const BUNDLED_SEED_PATH = `${DATA_DIR}seed-prompts.jsonl`;
/** Bundled preference pairs (rows `{chosen, rejected, source}`). */
export const BUNDLED_PREFERENCE_PATH = `${DATA_DIR}preference-pairs.jsonl`;
/** Bundled chunking corpus (rows `{id, text}`). */
export const BUNDLED_CORPUS_PATH = `${DATA_DIR}chunk-corpus.jsonl`;
