import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOnnxModel, ONNX_FLOAT, ONNX_INT64, type OnnxNode } from './onnx-proto.js';

/**
 * Tiny BERT-shaped models for tests (a few KB each), so the real transformers.js + onnxruntime path runs offline:
 * - reward model: `logit = w · mean_t(mask_t · tanh(E[id_t] + T[type_t])) + b` (output `logits`, shape [batch, 1]);
 * - embedding model: `last_hidden_state = tanh(E[id] + T[type])` (the pipeline mean-pools and normalises).
 * Weights are multiples of 1/64 in [-1, 1], so float32 and the JSON copy in `weights.json` are exact.
 */

/** Word-level vocabulary (WordPiece model without `##` pieces, so an unknown word becomes `[UNK]`). */
export const TINY_VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  '<|im_start|>user',
  '<|im_end|>',
  'the',
  'answer',
  'is',
  'good',
  'bad',
  'great',
  'terrible',
  'what',
  '?',
  'yes',
  'no',
  'a',
  'cat',
  'dog',
  'sun',
  'moon',
  'blue',
  'red',
  'hello',
  'world',
  'paris',
  'capital',
  'of',
  'france',
  'fine',
  'ok',
] as const;
export const TINY_HIDDEN = 8;

/** The weights of a tiny model, as written to `weights.json`. */
export interface TinyWeights {
  word_embeddings: number[][];
  token_type_embeddings: number[][];
  classifier_weight: number[];
  classifier_bias: number;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic weights for `seed`. */
export function tinyWeights(seed: number): TinyWeights {
  const next = mulberry32(seed);
  const w = () => Math.round((next() * 2 - 1) * 64) / 64;
  const matrix = (rows: number) => Array.from({ length: rows }, () => Array.from({ length: TINY_HIDDEN }, w));
  return {
    word_embeddings: matrix(TINY_VOCAB.length),
    token_type_embeddings: matrix(2),
    classifier_weight: Array.from({ length: TINY_HIDDEN }, w),
    classifier_bias: w(),
  };
}

const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({
  name,
  elemType: ONNX_INT64,
  shape: ['batch_size', 'sequence_length'],
}));

function encoderNodes(): OnnxNode[] {
  return [
    { op: 'Gather', inputs: ['word_embeddings', 'input_ids'], outputs: ['we'], attrs: { axis: 0 } },
    { op: 'Gather', inputs: ['token_type_embeddings', 'token_type_ids'], outputs: ['te'], attrs: { axis: 0 } },
    { op: 'Add', inputs: ['we', 'te'], outputs: ['h0'] },
  ];
}

function flat(m: number[][]): Float32Array {
  return Float32Array.from(m.flat());
}

/** Bytes of the reward model's `onnx/model.onnx`. */
export function tinyRewardModelOnnx(weights: TinyWeights): Uint8Array {
  return encodeOnnxModel({
    name: 'tiny_reward_model',
    inputs: INPUTS,
    outputs: [{ name: 'logits', elemType: ONNX_FLOAT, shape: ['batch_size', 1] }],
    nodes: [
      ...encoderNodes(),
      { op: 'Tanh', inputs: ['h0'], outputs: ['h'] },
      { op: 'Cast', inputs: ['attention_mask'], outputs: ['mask'], attrs: { to: ONNX_FLOAT } },
      { op: 'Unsqueeze', inputs: ['mask', 'axis2'], outputs: ['mask3'] },
      { op: 'Mul', inputs: ['h', 'mask3'], outputs: ['hm'] },
      { op: 'ReduceSum', inputs: ['hm', 'axis1'], outputs: ['sum'], attrs: { keepdims: 0 } },
      { op: 'ReduceSum', inputs: ['mask', 'axis1'], outputs: ['count'], attrs: { keepdims: 1 } },
      { op: 'Div', inputs: ['sum', 'count'], outputs: ['pooled'] },
      { op: 'MatMul', inputs: ['pooled', 'classifier_weight'], outputs: ['z'] },
      { op: 'Add', inputs: ['z', 'classifier_bias'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'word_embeddings', dims: [TINY_VOCAB.length, TINY_HIDDEN], float32: flat(weights.word_embeddings) },
      { name: 'token_type_embeddings', dims: [2, TINY_HIDDEN], float32: flat(weights.token_type_embeddings) },
      { name: 'classifier_weight', dims: [TINY_HIDDEN, 1], float32: Float32Array.from(weights.classifier_weight) },
      { name: 'classifier_bias', dims: [1], float32: Float32Array.of(weights.classifier_bias) },
      { name: 'axis1', dims: [1], int64: [1n] },
      { name: 'axis2', dims: [1], int64: [2n] },
    ],
  });
}

/** Bytes of the embedding model's `onnx/model.onnx`. */
export function tinyEmbeddingModelOnnx(weights: TinyWeights): Uint8Array {
  return encodeOnnxModel({
    name: 'tiny_embedding_model',
    inputs: INPUTS,
    outputs: [
      { name: 'last_hidden_state', elemType: ONNX_FLOAT, shape: ['batch_size', 'sequence_length', TINY_HIDDEN] },
    ],
    nodes: [...encoderNodes(), { op: 'Tanh', inputs: ['h0'], outputs: ['last_hidden_state'] }],
    initializers: [
      { name: 'word_embeddings', dims: [TINY_VOCAB.length, TINY_HIDDEN], float32: flat(weights.word_embeddings) },
      { name: 'token_type_embeddings', dims: [2, TINY_HIDDEN], float32: flat(weights.token_type_embeddings) },
    ],
  });
}

/** tokenizer.json: WhitespaceSplit pre-tokenizer, word-level WordPiece vocabulary, BERT template. */
export function tinyTokenizerJson(): Record<string, unknown> {
  const special = (id: string, type: number) => ({ SpecialToken: { id, type_id: type } });
  const seq = (id: 'A' | 'B', type: number) => ({ Sequence: { id, type_id: type } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: TINY_VOCAB.slice(0, 4).map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0)],
      pair: [special('[CLS]', 0), seq('A', 0), special('[SEP]', 0), seq('B', 1), special('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(TINY_VOCAB.map((t, i) => [t, i])),
    },
  };
}

/** tokenizer_config.json (no chat template, like the OpenAssistant DeBERTa reward models). */
export function tinyTokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    model_max_length: 64,
    padding_side: 'right',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    do_lower_case: false,
  };
}

function configJson(kind: 'reward' | 'embedding'): Record<string, unknown> {
  return {
    model_type: 'bert',
    architectures: [kind === 'reward' ? 'BertForSequenceClassification' : 'BertModel'],
    hidden_size: TINY_HIDDEN,
    vocab_size: TINY_VOCAB.length,
    type_vocab_size: 2,
    max_position_embeddings: 64,
    ...(kind === 'reward' ? { num_labels: 1, id2label: { '0': 'LABEL_0' }, label2id: { LABEL_0: 0 } } : {}),
  };
}

export const REWARD_SEED = 20240305;
export const EMBEDDING_SEED = 20240721;

/** Every file of a tiny model folder, path → bytes. */
export function tinyModelFiles(kind: 'reward' | 'embedding'): Record<string, Uint8Array> {
  const weights = tinyWeights(kind === 'reward' ? REWARD_SEED : EMBEDDING_SEED);
  const json = (v: unknown) => new TextEncoder().encode(`${JSON.stringify(v, null, 2)}\n`);
  return {
    'config.json': json(configJson(kind)),
    'tokenizer.json': json(tinyTokenizerJson()),
    'tokenizer_config.json': json(tinyTokenizerConfig()),
    'weights.json': json(weights),
    'onnx/model.onnx': kind === 'reward' ? tinyRewardModelOnnx(weights) : tinyEmbeddingModelOnnx(weights),
  };
}

/** Writes both tiny model folders under `dir` (`tiny-reward-model/`, `tiny-embedding-model/`). */
export function writeTinyModels(dir: string): void {
  for (const kind of ['reward', 'embedding'] as const) {
    const base = join(dir, `tiny-${kind}-model`);
    for (const [rel, bytes] of Object.entries(tinyModelFiles(kind))) {
      mkdirSync(join(base, rel, '..'), { recursive: true });
      writeFileSync(join(base, rel), bytes);
    }
  }
}
