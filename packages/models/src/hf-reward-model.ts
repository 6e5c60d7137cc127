import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { ModelsError } from './errors.js';
import type { CompletionInput, RewardModelRunner } from './types.js';
import { validateCompletions } from './validate-input.js';

/** Default `hf_model` reward model (dojo.md §5.1). transformers.js needs an ONNX copy: see the README. */
export const DEFAULT_HF_REWARD_MODEL = 'OpenAssistant/reward-model-deberta-v3-large-v2';

/** Options of {@link HfRewardModel.load}. */
export interface HfRewardModelOptions {
  /** Hub repo id (ONNX weights under `onnx/`) or a local folder path. @defaultValue DEFAULT_HF_REWARD_MODEL */
  model?: string;
  /**
   * Offline mode: sets the process-wide `env.allowRemoteModels = false` of transformers.js and loads local files only.
   * @defaultValue false
   */
  offline?: boolean;
  /** Sets the process-wide `env.localModelPath`: a hub id `org/name` then resolves to `<localModelPath>/org/name/`. */
  localModelPath?: string;
  /** Download cache folder (`env.cacheDir` by default). */
  cacheDir?: string;
  /** ONNX variant: `fp32` loads `onnx/model.onnx`, `q8` `onnx/model_quantized.onnx`, ... @defaultValue 'fp32' */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'bnb4' | 'q4f16';
  /** Text pairs per forward pass. @defaultValue 8 */
  batchSize?: number;
}

/**
 * transformers 4.38's class-level default chat template (ChatML) applied to one user turn, which upstream's
 * `apply_chat_template` fell back to for tokenizers without a template (dojo.md §5.1).
 * @returns `<|im_start|>user\n{prompt}<|im_end|>\n`.
 */
export function chatMlQuestion(prompt: string): string {
  return `<|im_start|>user\n${prompt}<|im_end|>\n`;
}

/** Numerically stable logistic function. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * The logit of one text or text pair through a runner's batch `logits` (shared by both runners).
 * @param runner - the reward model runner.
 * @param textA - first segment.
 * @param textB - optional second segment.
 * @returns the raw logit.
 */
export async function runnerLogit(
  runner: Pick<RewardModelRunner, 'logits'>,
  textA: string,
  textB?: string,
): Promise<number> {
  const [l] = await runner.logits([textA], textB === undefined ? undefined : [textB]);
  return l as number;
}

/**
 * Scores completions with a runner: sigmoid of the logit of (question(prompt), completion) (shared by both runners).
 * @param runner - the reward model runner.
 * @param prompt - the request's prompt.
 * @param completions - cids must be unique.
 * @returns cid → score in (0, 1).
 * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT on bad or duplicate cids; whatever the runner's `logits` throws.
 */
export async function runnerScore(
  runner: Pick<RewardModelRunner, 'logits' | 'question'>,
  prompt: string,
  completions: readonly CompletionInput[],
): Promise<Record<string, number>> {
  validateCompletions(completions);
  const question = runner.question(prompt);
  const logits = await runner.logits(
    completions.map(() => question),
    completions.map((c) => c.text),
  );
  return Object.fromEntries(completions.map((c, i) => [c.cid, sigmoid(logits[i] as number)]));
}

/**
 * An `hf_model` reward model run by transformers.js + onnxruntime: sequence classification with one label, score =
 * sigmoid(logit) of (chat-templated prompt, completion) encoded as a text pair (dojo.md §5.1).
 */
export class HfRewardModel implements RewardModelRunner {
  readonly id: string;
  private readonly batchSize: number;

  private constructor(
    readonly modelName: string,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
    batchSize: number,
  ) {
    this.id = `hf_model:${modelName}`;
    this.batchSize = batchSize;
  }

  /**
   * Loads the tokenizer and ONNX model.
   * @param options - model id or folder, offline mode, dtype, batch size.
   * @returns the ready model.
   * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT for a bad batch size; DOJO_MODELS_LOAD_FAILED when a file is
   *   missing (offline or no ONNX weights) or the model cannot be built.
   * @example
   * const rm = await HfRewardModel.load({ model: '/models/reward-onnx', offline: true });
   * await rm.score('What is 2+2?', [{ cid: 'a', text: '4' }]);
   */
  static async load(options: HfRewardModelOptions = {}): Promise<HfRewardModel> {
    const modelName = options.model ?? DEFAULT_HF_REWARD_MODEL;
    const batchSize = options.batchSize ?? 8;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ModelsError('DOJO_MODELS_INVALID_INPUT', `batchSize must be a positive integer, got ${batchSize}`);
    }
    if (options.offline) env.allowRemoteModels = false;
    if (options.localModelPath !== undefined) env.localModelPath = options.localModelPath;
    const common = {
      local_files_only: options.offline ?? false,
      ...(options.cacheDir === undefined ? {} : { cache_dir: options.cacheDir }),
    };
    try {
      const tokenizer = await AutoTokenizer.from_pretrained(modelName, common);
      const model = await AutoModelForSequenceClassification.from_pretrained(modelName, {
        ...common,
        dtype: options.dtype ?? 'fp32',
      });
      return new HfRewardModel(modelName, tokenizer, model, batchSize);
    } catch (err) {
      throw new ModelsError(
        'DOJO_MODELS_LOAD_FAILED',
        `cannot load reward model '${modelName}': ${(err as Error).message}`,
        {
          details: { model: modelName, offline: options.offline ?? false },
          cause: err,
        },
      );
    }
  }

  /**
   * The text the completion is paired with: the tokenizer's chat template over one user turn, or the ChatML fallback
   * `<|im_start|>user\n{prompt}<|im_end|>\n` when the tokenizer has none (dojo.md §5.1).
   * @param prompt - the request's prompt.
   * @returns the templated question.
   */
  question(prompt: string): string {
    if (this.tokenizer.chat_template === null || this.tokenizer.chat_template === undefined)
      return chatMlQuestion(prompt);
    return this.tokenizer.apply_chat_template([{ role: 'user', content: prompt }], { tokenize: false }) as string;
  }

  /**
   * Raw logits of texts (each alone) or of text pairs, in batches of `batchSize` with padding and truncation.
   * @param texts - first segments.
   * @param textPairs - optional second segments, same length as `texts`.
   * @returns one logit per input.
   * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT on a length mismatch; DOJO_MODELS_INFERENCE_FAILED when the
   *   model fails or does not output one logit per row (`num_labels` must be 1).
   */
  async logits(texts: readonly string[], textPairs?: readonly string[]): Promise<number[]> {
    if (textPairs !== undefined && textPairs.length !== texts.length) {
      throw new ModelsError(
        'DOJO_MODELS_INVALID_INPUT',
        `got ${texts.length} texts but ${textPairs.length} text pairs`,
      );
    }
    const out: number[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const pairs = textPairs?.slice(start, start + this.batchSize);
      let logits: Tensor;
      try {
        const inputs = this.tokenizer(batch as string[], {
          ...(pairs === undefined ? {} : { text_pair: pairs as string[] }),
          padding: true,
          truncation: true,
        });
        ({ logits } = (await this.model(inputs)) as { logits: Tensor });
      } catch (err) {
        throw new ModelsError(
          'DOJO_MODELS_INFERENCE_FAILED',
          `reward model inference failed: ${(err as Error).message}`,
          {
            details: { model: this.modelName },
            cause: err,
          },
        );
      }
      if (logits?.dims?.length !== 2 || logits.dims[0] !== batch.length || logits.dims[1] !== 1) {
        const got = logits?.dims ? `[${logits.dims.join(', ')}]` : 'no logits output';
        throw new ModelsError(
          'DOJO_MODELS_INFERENCE_FAILED',
          `expected logits of shape [${batch.length}, 1], got ${got}`,
          {
            details: { model: this.modelName },
          },
        );
      }
      for (const v of logits.data as Float32Array) out.push(v);
    }
    return out;
  }

  /**
   * The logit of one text or text pair (the runner call of dojo.md §5.1/§12.3).
   * @returns the raw logit.
   */
  async logit(textA: string, textB?: string): Promise<number> {
    return runnerLogit(this, textA, textB);
  }

  /**
   * Scores completions: sigmoid of the logit of (question(prompt), completion).
   * @param prompt - the request's prompt.
   * @param completions - cids must be unique.
   * @returns cid → score in (0, 1).
   * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT on duplicate cids; DOJO_MODELS_INFERENCE_FAILED.
   */
  async score(prompt: string, completions: readonly CompletionInput[]): Promise<Record<string, number>> {
    return runnerScore(this, prompt, completions);
  }

  /** Releases the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
