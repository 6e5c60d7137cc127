import { ModelsError } from './errors.js';

/**
 * An LRU cache of loaded models by name (dojo.md §5.1: `--hf.cache_size`, default 4). Concurrent `get`s of one name
 * share a single load; a failed load is not cached; an evicted model is disposed when it has `dispose()`.
 */
export class ModelCache<T extends { dispose?: () => Promise<void> }> {
  private readonly entries = new Map<string, Promise<T>>();

  /**
   * @param maxSize - models kept; at least 1.
   * @throws {ModelsError} DOJO_MODELS_INVALID_INPUT for a size below 1.
   */
  constructor(readonly maxSize = 4) {
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new ModelsError('DOJO_MODELS_INVALID_INPUT', `cache size must be a positive integer, got ${maxSize}`);
    }
  }

  /** Number of models held (including loads in flight). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Returns the cached model for `name` (marking it most recently used) or loads it with `load`.
   * @param name - cache key, e.g. the HF repo id.
   * @param load - loader called on a miss.
   * @returns the model.
   * @example
   * const cache = new ModelCache<HfRewardModel>(4);
   * const rm = await cache.get(name, () => HfRewardModel.load({ model: name }));
   */
  async get(name: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(name);
    if (hit) {
      this.entries.delete(name);
      this.entries.set(name, hit);
      return hit;
    }
    const pending = load();
    this.entries.set(name, pending);
    pending.catch(() => {
      if (this.entries.get(name) === pending) this.entries.delete(name);
    });
    while (this.entries.size > this.maxSize) {
      const [oldest, evicted] = this.entries.entries().next().value as [string, Promise<T>];
      this.entries.delete(oldest);
      evicted.then((m) => m.dispose?.()).catch(() => undefined);
    }
    return pending;
  }
}
