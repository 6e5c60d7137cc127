import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLab } from '../src/run/runner.js';

const EXP = new URL('../experiments/', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'lab-runner-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const tiny = { 'query.method.args.max_iter': 30, 'data.sample.n': 40 };

function jsonl(p: string): Record<string, unknown>[] {
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('dojo-lab run on the shipped dummy experiment', () => {
  let first: Awaited<ReturnType<typeof runLab>>;
  it('runs the four steps and writes the run folder', async () => {
    first = await runLab({ configPath: join(EXP, 'dummy.yml'), outputDir: out, set: tiny });
    expect(first.steps.map((s) => [s.step, s.status])).toEqual([
      ['model', 'ran'],
      ['data', 'ran'],
      ['query', 'ran'],
      ['analysis', 'ran'],
    ]);
    expect(first.tags).toEqual(['model', 'data', 'query', 'analysis']);
    for (const f of [
      'config.yaml',
      'config.resolved.yaml',
      'events.jsonl',
      'metrics.jsonl',
      'weights.jsonl',
      'dummy_train.jsonl',
      'report.html',
    ]) {
      expect(existsSync(join(first.runDir, f)), f).toBe(true);
    }
    expect(readFileSync(join(first.runDir, 'config.resolved.yaml'), 'utf8')).toMatch(/validator_config:/);
    const events = jsonl(join(first.runDir, 'dummy_train.jsonl'));
    expect(events.length).toBeGreaterThan(30);
    // ignore_attr drops hotkeys and block; train stamps step and step_sub.
    expect(events[0]).not.toHaveProperty('hotkeys');
    expect(events[0]).not.toHaveProperty('block');
    expect(events.some((e) => e.is_question === true && e.step_sub === 1)).toBe(true);
    // The dummy block advances 2 per iteration, epoch length 20: weights are set during 30 iterations.
    const weights = jsonl(join(first.runDir, 'weights.jsonl'));
    const metrics = jsonl(join(first.runDir, 'metrics.jsonl'));
    expect(metrics.filter((m) => m.key === 'weights.max')).toHaveLength(weights.length);
    expect(metrics.some((m) => m.key === 'gating_model_train.epoch' && m.step === 29)).toBe(true);
    expect(weights.length).toBeGreaterThanOrEqual(2);
    expect((weights[0] as { weights: number[] }).weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const lifecycle = jsonl(join(first.runDir, 'events.jsonl')).map((e) => e.type);
    expect(lifecycle[0]).toBe('run_start');
    expect(lifecycle.at(-1)).toBe('run_end');
    expect(first.analysis?.charts.map((c) => c.key)).toEqual(
      expect.arrayContaining(['correlation', 'uid_vs_rewards', 'uid_hit_total', 'question_length vs rewards']),
    );
  });

  it('the same experiment is reproducible under its seed', async () => {
    const again = await runLab({ configPath: join(EXP, 'dummy.yml'), outputDir: out, set: tiny, force: true });
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ call_time: _t, ...rest }) => rest);
    expect(strip(jsonl(join(again.runDir, 'dummy_train.jsonl')))).toEqual(
      strip(jsonl(join(first.runDir, 'dummy_train.jsonl'))),
    );
    expect(readFileSync(join(again.runDir, 'weights.jsonl'), 'utf8')).toBe(
      readFileSync(join(first.runDir, 'weights.jsonl'), 'utf8'),
    );
  });

  it('a rerun reuses the cached artifacts of steps whose resolved section hash is unchanged', async () => {
    const r = await runLab({ configPath: join(EXP, 'dummy.yml'), outputDir: out, set: tiny });
    expect(r.steps.map((s) => s.status)).toEqual(['ran', 'cached', 'cached', 'cached']);
    const changed = await runLab({
      configPath: join(EXP, 'dummy.yml'),
      outputDir: out,
      set: { ...tiny, 'query.method.args.max_iter': 5 },
    });
    expect(changed.steps.find((s) => s.step === 'query')?.status).toBe('ran');
  });

  it('--steps analysis runs the analysis alone on the cached query result', async () => {
    const r = await runLab({
      configPath: join(EXP, 'dummy.yml'),
      outputDir: out,
      set: tiny,
      steps: ['analysis'],
      force: true,
      profile: true,
    });
    expect(r.steps.map((s) => [s.step, s.status])).toEqual([
      ['model', 'skipped'],
      ['data', 'skipped'],
      ['query', 'skipped'],
      ['analysis', 'ran'],
    ]);
    expect(r.tags).toContain('profiler');
    const prof = JSON.parse(readFileSync(join(r.runDir, 'profile.cpuprofile'), 'utf8')) as { nodes: unknown[] };
    expect(prof.nodes.length).toBeGreaterThan(0);
  });

  it('analysis alone reads result files listed in requires, tagged with their path', async () => {
    const cfg = join(out, 'analysis-only.yml');
    const results = join(first.runDir, 'dummy_train.jsonl');
    const tinyTok = new URL('../../../packages/models/test/fixtures/tiny-reward-model', import.meta.url).pathname;
    writeFileSync(
      cfg,
      `name: files\nanalysis:\n  id: from_files\n  requires: [${results}]\n  reward_tokenizer: ${tinyTok}\n  create_features: [num_words, reward_num_tokens]\n  plot: {rewards: [num_words, reward_num_tokens]}\n`,
    );
    const r = await runLab({ configPath: cfg, outputDir: out, offline: true });
    expect(r.steps).toHaveLength(1);
    const tok = r.analysis?.charts.find((c) => c.key === 'reward_num_tokens vs rewards')?.data as { x: number[] };
    expect(Math.max(...tok.x)).toBeGreaterThan(3);
    expect(r.analysis?.charts.some((c) => c.key === 'num_words vs rewards')).toBe(true);
    // max uid + 1 uids (16 in the dummy metagraph)
    const chart = r.analysis?.charts.find((c) => c.key === 'uid_vs_scores');
    const m = (chart?.data as { matrix: number[][] } | undefined)?.matrix;
    expect(m).toHaveLength(16);
  });
});

describe('validator completions log analysis (analyze-logfile extras)', () => {
  it('parses timestamp-prefixed JSON lines with extra fields and reports leaderboards, throughput and overlap', async () => {
    const log = join(out, 'validator.log');
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const t = new Date(Date.UTC(2023, 4, 10, 12, i * 10)).toISOString();
      const extra = {
        prompt: `question ${i}`,
        uids: [0, 1, 2],
        all_uids: [0, 1, 2, 3],
        rewards: [1, 0.5, 0.5],
        scores: [0.1, 0.2, 0.3, 0.4],
        all_completions: [`answer ${i}`, 'That is an excellent question.', 'That is an excellent question.'],
      };
      lines.push(`${t} | INFO | ${JSON.stringify({ message: `question ${i}`, extra })}`);
    }
    writeFileSync(log, `${lines.join('\n')}\n`);
    const cfg = join(out, 'log.yml');
    writeFileSync(cfg, `name: logfile\nanalysis:\n  id: log\n  requires: [${log}]\n`);
    const r = await runLab({ configPath: cfg, outputDir: out });
    const a = r.analysis;
    expect(a?.metrics.events_per_hour).toBeCloseTo(12 / (110 / 60), 6);
    const board = a?.tables.find((t) => t.key === 'leaderboard_uids');
    expect(board?.rows[0]?.[0]).toBe(0);
    const overlap =
      (a?.charts.find((c) => c.key === 'uid_overlap_top5')?.data as { overlap: number[][] } | undefined)?.overlap ?? [];
    // uids 1 and 2 serve the same canned phrase; uid 0 shares nothing with them
    expect(overlap[1]?.[2]).toBeCloseTo(1 / 5, 12);
    expect(overlap[0]?.[1]).toBe(0);
    const diversity =
      (a?.charts.find((c) => c.key === 'uid_diversity')?.data as { diversity: number[] } | undefined)?.diversity ?? [];
    expect(diversity.slice(0, 3)).toEqual([1, 1 / 12, 1 / 12]);
  });
});

describe('sweep over a prompting experiment', () => {
  it('runs one complete sub-run per value with the dotted-key override applied', async () => {
    const r = await runLab({
      configPath: join(EXP, 'dummy.yml'),
      outputDir: out,
      set: { ...tiny, 'query.method.args.max_iter': 4, sweep: { 'model.dendrite_pool.args.fail_rate': [0, 1] } },
    });
    expect(r.sweepRuns).toHaveLength(2);
    const [ok, failing] = r.sweepRuns ?? [];
    expect(ok?.result.query?.events.length).toBe(8);
    expect(failing?.result.query?.events.length).toBe(0);
    expect(ok?.result.runDir.startsWith(join(r.runDir, 'sweep'))).toBe(true);
    expect(readFileSync(r.reportPath, 'utf8')).toContain(`sweep/${ok?.result.runId}/report.html`);
  });
});

describe('prompting query methods', () => {
  it('inference records the chosen completion and the gating scores per question', async () => {
    const r = await runLab({
      configPath: join(EXP, 'reward-model-analysis.yml'),
      outputDir: out,
      steps: ['query'],
      set: { 'query.method': { name: 'inference' }, 'data.sample': { method: 'first', n: 5 } },
    });
    // --steps query brings the model and data steps along; the analysis is skipped
    expect(r.steps.map((x) => x.status)).toEqual(['ran', 'ran', 'ran', 'skipped']);
    const rows = jsonl(join(r.runDir, 'rm_forward.jsonl'));
    expect(rows).toHaveLength(5);
    expect(rows.every((e) => typeof e.completion === 'string' && (e.scores as number[]).length === 16)).toBe(true);
  });
  it('forward with chunk_size 3 asks the first question of each chunk', async () => {
    const r = await runLab({
      configPath: join(EXP, 'reward-model-analysis.yml'),
      outputDir: out,
      steps: ['model', 'data', 'query'],
      set: { 'query.chunk_size': 3, 'data.sample': { method: 'first', n: 9 } },
    });
    const data = jsonl(join(r.runDir, 'nq_open_sample.jsonl'));
    const rows = jsonl(join(r.runDir, 'rm_forward.jsonl'));
    expect(rows.map((e) => e.message)).toEqual([data[0]?.question, data[3]?.question, data[6]?.question]);
  });
});

describe('mechanism models through the runner', () => {
  it('runs runMechanism once per sweep value and renders the strategy report in the HTML report', async () => {
    const r = await runLab({
      configPath: join(EXP, 'exploits/chunking-colluding.yml'),
      outputDir: out,
      set: { 'query.method.args.n_rounds': 6, 'query.method.args.weights_every': 3 },
    });
    expect(r.steps.map((s) => [s.step, s.status])).toEqual([
      ['model', 'ran'],
      ['query', 'ran'],
    ]);
    const events = jsonl(join(r.runDir, 'colluding.jsonl'));
    expect(new Set(events.map((e) => (e.sweep as Record<string, string>)['model.rules']))).toEqual(
      new Set(['upstream', 'product']),
    );
    const reports = JSON.parse(readFileSync(join(r.runDir, 'analysis/strategy_report.json'), 'utf8')) as unknown[];
    expect(reports).toHaveLength(2);
    const html = readFileSync(r.reportPath, 'utf8');
    expect(html.match(/data-key="strategy_report"/g)).toHaveLength(2);
    expect(html).toContain('model.rules = product');
    expect(html).toMatch(/<figure data-key="strategy_weight_share"><svg[^>]*>.*class="mark"/s);
    // A rerun reuses the cached query; non-finite numbers (unbounded return on cost) survive the artifact round trip.
    const again = await runLab({
      configPath: join(EXP, 'exploits/chunking-colluding.yml'),
      outputDir: out,
      set: { 'query.method.args.n_rounds': 6, 'query.method.args.weights_every': 3 },
    });
    expect(again.steps.find((s) => s.step === 'query')?.status).toBe('cached');
    expect(readFileSync(again.reportPath, 'utf8').match(/data-key="strategy_report"/g)).toHaveLength(2);
  });
  it('rejects an unknown mechanism key at validation time', async () => {
    const p = join(out, 'mech-bad.yml');
    writeFileSync(p, 'model:\n  id: m\n  kind: dojo\n  bogus_key: 1\n');
    await expect(runLab({ configPath: p, outputDir: out })).rejects.toMatchObject({ code: 'DOJO_LAB_CONFIG_INVALID' });
  });
});

describe('config validation', () => {
  const write = (name: string, text: string) => {
    const p = join(out, name);
    writeFileSync(p, text);
    return p;
  };
  it('rejects an unknown top-level key', async () => {
    await expect(runLab({ configPath: write('a.yml', 'name: x\nbogus: 1\n'), outputDir: out })).rejects.toThrow(
      /unknown key "bogus"/,
    );
  });
  it('rejects an undeclared component arg, listing the allowed ones', async () => {
    const p = write(
      'b.yml',
      `model:\n  id: m\n  reward_model: {name: RandomRewardModel, args: {forward_value: 2}}\n  subtensor: {name: DummySubtensor}\n  metagraph: {name: DummyMetagraph}\n  dendrite_pool: {name: DummyDendritePool, args: {data_path: ${join(EXP, '../data/nq_open_sample.jsonl')}}}\n`,
    );
    await expect(runLab({ configPath: p, outputDir: out })).rejects.toThrow(
      /unknown arg "forward_value". Allowed args are: seed/,
    );
  });
  it('rejects an unknown component name with the allowed list', async () => {
    const p = write(
      'c.yml',
      `model:\n  id: m\n  gating_model: {name: FooGatingModel}\n  subtensor: {name: DummySubtensor}\n  metagraph: {name: DummyMetagraph}\n  dendrite_pool: {name: DummyDendritePool, args: {data_path: x.jsonl}}\n`,
    );
    await expect(runLab({ configPath: p, outputDir: out })).rejects.toThrow(/Allowed models are ConstantGatingModel/);
  });
  it('requires subtensor and metagraph for a prompting model', async () => {
    await expect(runLab({ configPath: write('d.yml', 'model:\n  id: m\n'), outputDir: out })).rejects.toThrow(
      /missing required key "subtensor"/,
    );
  });
  it('rejects W&B logging with a clear code', async () => {
    await expect(
      runLab({ configPath: write('e.yml', 'wandb: {enabled: true}\n'), outputDir: out }),
    ).rejects.toMatchObject({ code: 'DOJO_LAB_WANDB_UNAVAILABLE' });
  });
});
