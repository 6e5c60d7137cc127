import { env, type FeatureExtractionPipeline, pipeline, type Tensor } from '@huggingface/transformers';
import { EmbeddingError, ModelsError } from '../errors.js';
import type { Embedder } from '../types.js';

/** Options of {@link createLocalEmbedder}. */
export interface LocalEmbedderOptions {
  /** Hub id or local folder with ONNX weights. @defaultValue 'Xenova/all-MiniLM-L6-v2' */
  model?: string;
  /** Sets the process-wide `env.allowRemoteModels = false` and loads local files only. @defaultValue false */
  offline?: boolean;
  /** Sets the process-wide `env.localModelPath`. */
  localModelPath?: string;
  /** @defaultValue 'fp32' */
  dtype?: 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';
  /** Texts per forward pass. @defaultValue 32 */
  batchSize?: number;
}

/** The embedder plus a way to release its onnxruntime session. */
export interface LocalEmbedder extends Embedder {
  dispose(): Promise<void>;
}

/**
 * A local {@link Embedder}: transformers.js `feature-extraction`, mean pooling, `normalize: true` (chunking.md §6.1).
 * @param options - model, offline mode, dtype, batch size.
 * @returns the embedder, id `local:<model>`, `dim` = the model's `hidden_size`.
 * @throws {ModelsError} DOJO_MODELS_LOAD_FAILED when the model cannot be loaded.
 * @example
 * const embedder = await createLocalEmbedder({ model: 'Xenova/all-MiniLM-L6-v2' });
 * const [v] = await embedder.embed(['hello']); // 384 numbers, unit norm
 */
export async function createLocalEmbedder(options: LocalEmbedderOptions = {}): Promise<LocalEmbedder> {
  const model = options.model ?? 'Xenova/all-MiniLM-L6-v2';
  const batchSize = options.batchSize ?? 32;
  if (options.offline) env.allowRemoteModels = false;
  if (options.localModelPath !== undefined) env.localModelPath = options.localModelPath;
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = (await pipeline('feature-extraction', model, {
      dtype: options.dtype ?? 'fp32',
      local_files_only: options.offline ?? false,
    })) as FeatureExtractionPipeline;
  } catch (err) {
    throw new ModelsError(
      'DOJO_MODELS_LOAD_FAILED',
      `cannot load embedding model '${model}': ${(err as Error).message}`,
      {
        details: { model },
        cause: err,
      },
    );
  }
  // BERT-like configs say hidden_size, DistilBERT says dim, T5-like say d_model; otherwise ask the model once.
  const cfg = extractor.model.config as { hidden_size?: unknown; dim?: unknown; d_model?: unknown };
  const declared = [cfg.hidden_size, cfg.dim, cfg.d_model].find((v): v is number => typeof v === 'number');
  let hidden: number;
  try {
    hidden = declared ?? (await extractor(['dimension probe'], { pooling: 'mean', normalize: true })).dims.at(-1) ?? 0;
  } catch (err) {
    throw new ModelsError(
      'DOJO_MODELS_LOAD_FAILED',
      `cannot run embedding model '${model}': ${(err as Error).message}`,
      { cause: err },
    );
  }
  return {
    id: `local:${model}`,
    dim: hidden,
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const batch = texts.slice(start, start + batchSize);
        let tensor: Tensor;
        try {
          tensor = await extractor(batch, { pooling: 'mean', normalize: true });
        } catch (err) {
          throw new EmbeddingError(`local embedding failed: ${(err as Error).message}`, {
            details: { model },
            cause: err,
          });
        }
        if (tensor.dims.length !== 2 || tensor.dims[0] !== batch.length || tensor.dims[1] !== hidden) {
          throw new EmbeddingError(
            `expected embeddings of shape [${batch.length}, ${hidden}], got [${tensor.dims.join(', ')}]`,
            {
              details: { model },
            },
          );
        }
        const data = tensor.data as Float32Array;
        for (let i = 0; i < batch.length; i++) out.push(data.slice(i * hidden, (i + 1) * hidden));
      }
      return out;
    },
    dispose: async () => {
      await extractor.dispose();
    },
  };
}
