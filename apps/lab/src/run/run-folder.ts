import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';

/** A run folder `runs/<run_id>/` with its JSONL logs (lab.md §11). */
export class RunFolder {
  readonly dir: string;
  readonly runId: string;
  constructor(parent: string, name: string, now = new Date()) {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    let id = `${stamp}-${name}`;
    for (let i = 2; existsSync(join(parent, id)); i++) id = `${stamp}-${name}-${i}`;
    this.runId = id;
    this.dir = join(parent, id);
    mkdirSync(join(this.dir, 'analysis'), { recursive: true });
    mkdirSync(join(this.dir, 'artifacts'), { recursive: true });
  }
  path(...p: string[]): string {
    return join(this.dir, ...p);
  }
  /** Appends a lifecycle event to `events.jsonl`. */
  event(type: string, data: Record<string, unknown> = {}): void {
    appendFileSync(this.path('events.jsonl'), `${JSON.stringify({ time: new Date().toISOString(), type, ...data })}\n`);
  }
  /** Appends a scalar to `metrics.jsonl`. */
  metric(step: number, key: string, value: number): void {
    appendFileSync(this.path('metrics.jsonl'), `${JSON.stringify({ step, key, value })}\n`);
  }
  /** Writes a JSONL file (whole rewrite). */
  writeJsonl(name: string, rows: readonly unknown[]): void {
    writeFileSync(this.path(name), rows.map((r) => `${JSON.stringify(r, jsonSafe)}\n`).join(''));
  }
  writeJson(name: string, value: unknown): void {
    writeFileSync(this.path(name), `${JSON.stringify(value, jsonSafe, 2)}\n`);
  }
}

/** JSON replacer: non-finite numbers become strings ("-Infinity", "NaN") instead of null. */
export function jsonSafe(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v instanceof Float32Array || v instanceof Float64Array) return Array.from(v);
  return v;
}

/** JSON reviver undoing {@link jsonSafe}: "Infinity", "-Infinity" and "NaN" strings become numbers again. */
export function jsonRevive(_k: string, v: unknown): unknown {
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (v === 'NaN') return Number.NaN;
  return v;
}

/** A progress bar on stderr when it is a terminal; a no-op otherwise. */
export interface Progress {
  tick(n?: number): void;
  stop(): void;
}

/**
 * Starts a progress bar (cli-progress) for a long step.
 * @param label - step name.
 * @param total - expected ticks.
 * @param enabled - draw it (defaults to stderr being a TTY).
 * @returns the bar handle.
 */
export function progress(label: string, total: number, enabled = Boolean(process.stderr.isTTY)): Progress {
  if (!enabled || total <= 1) return { tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta}s`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    stop: () => bar.stop(),
  };
}
