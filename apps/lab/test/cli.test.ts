import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../bin/dojo-lab.mjs', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'lab-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('dojo-lab CLI', () => {
  it('runs a config from the TypeScript sources, prints the steps and exits 0', () => {
    const cfg = join(out, 'tiny.yml');
    const data = new URL('../data/nq_open_sample.jsonl', import.meta.url).pathname;
    writeFileSync(
      cfg,
      `name: cli\nmodel:\n  id: m\n  dendrite_pool: {name: DummyDendritePool, args: {data_path: ${data}}}\n  gating_model: {name: SequentialGatingModel, args: {hidden_size: [6, 4], embedding_dim: 8}}\n  subtensor: {name: DummySubtensor}\n  metagraph: {name: DummyMetagraph, args: {num_nodes: 8}}\nquery:\n  id: q\n  method: {name: train, args: {max_iter: 3}}\n`,
    );
    const r = spawnSync(process.execPath, [BIN, 'run', cfg, '--output-dir', out, '--profile'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/model\s+m\s+ran/);
    expect(r.stdout).toMatch(/query\s+q\s+ran/);
    const runs = readdirSync(out).filter((d) => d.endsWith('-cli'));
    expect(runs).toHaveLength(1);
    expect(existsSync(join(out, runs[0] as string, 'profile.cpuprofile'))).toBe(true);
    // SequentialGatingModel trains twice per iteration: query and completion losses per epoch
    const metrics = readFileSync(join(out, runs[0] as string, 'metrics.jsonl'), 'utf8');
    expect(metrics.match(/"key":"gating_model_train.loss.Query loss"/g)).toHaveLength(3);
    expect(metrics.match(/"key":"gating_model_train.loss.Completion loss"/g)).toHaveLength(3);
  });
});
