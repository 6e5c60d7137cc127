import { LabConfigError } from '../errors.js';
import type { Stream } from '../rng.js';
import type { DummyMetagraph } from './chain.js';

/** One simulated response (lab.md §5.2). */
export interface PoolResponse {
  completion: string | null;
  alternative: string | null;
  questionIndex: number | null;
  elapsed: number;
}

/** A question/answers row. */
export interface QaRow {
  question: string;
  answers: string[];
}

/** Options of {@link DummyDendritePool}. */
export interface DummyDendritePoolOptions {
  rows: QaRow[];
  fail_rate?: number | Record<string, number>;
  fitness?: number | Record<string, number>;
  baseline_fail_rate?: number;
  baseline_fitness?: number;
  latency_s?: number;
  questionPrompt: string;
  minCompletionLength?: number;
  stream: Stream;
}

function perUid(name: string, v: number | Record<string, number>, baseline: number, n: number): number[] {
  if (typeof v === 'number') return new Array<number>(n).fill(v);
  const out = new Array<number>(n).fill(baseline);
  for (const [k, x] of Object.entries(v)) {
    const uid = Number.parseInt(k, 10);
    if (!Number.isInteger(uid) || typeof x !== 'number')
      throw new LabConfigError(`DummyDendritePool: bad ${name} entry ${k}`);
    if (uid >= 0 && uid < n) out[uid] = x;
  }
  return out;
}

/** Simulated prompting miners answering from a question/answer dataset with per-uid fail rates and fitness. */
export class DummyDendritePool {
  metagraph: DummyMetagraph | null = null;
  private failRates: number[] = [];
  private fitness: number[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly o: DummyDendritePoolOptions) {
    if (o.rows.length === 0) throw new LabConfigError('DummyDendritePool: data_path has no rows');
    o.rows.forEach((r, i) => {
      if (!this.index.has(r.question)) this.index.set(r.question, i);
    });
  }
  /** Attaches the metagraph and expands the per-uid rates. */
  attach(metagraph: DummyMetagraph): void {
    this.metagraph = metagraph;
    this.failRates = perUid('fail_rate', this.o.fail_rate ?? 0.1, this.o.baseline_fail_rate ?? 0, metagraph.n);
    this.fitness = perUid('fitness', this.o.fitness ?? 0, this.o.baseline_fitness ?? 0, metagraph.n);
  }
  get rows(): QaRow[] {
    return this.o.rows;
  }
  private pad(s: string): string {
    return s.padEnd((this.o.minCompletionLength ?? 10) + 1, ' ');
  }
  /** One call for one uid. */
  call(uid: number, messages: readonly string[]): PoolResponse {
    const { stream, rows } = this.o;
    const elapsed = this.o.latency_s ?? 0;
    if (stream.next() < (this.failRates[uid] ?? 0))
      return { completion: null, alternative: null, questionIndex: null, elapsed };
    const last = messages[messages.length - 1] ?? '';
    const isQuestion = last === this.o.questionPrompt;
    let idx: number;
    if (isQuestion) idx = stream.int(rows.length);
    else {
      const known = this.index.get(last.trim());
      idx = known !== undefined && stream.next() < (this.fitness[uid] ?? 0) ? known : stream.int(rows.length);
    }
    const row = rows[idx] as QaRow;
    const answer = this.pad(row.answers[stream.int(row.answers.length)] ?? '');
    return isQuestion
      ? { completion: row.question, alternative: answer, questionIndex: idx, elapsed }
      : { completion: answer, alternative: row.question, questionIndex: idx, elapsed };
  }
  /** One response per uid, in order. */
  forward(_roles: readonly string[], messages: readonly string[], uids?: readonly number[]): PoolResponse[] {
    const all = uids ?? Array.from({ length: this.metagraph?.n ?? 0 }, (_, i) => i);
    return all.map((u) => this.call(u, messages));
  }
}
