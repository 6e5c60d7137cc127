// Load generator child process: receives pre-signed requests over IPC, keeps one request in flight per connection
// (each connection is one dendrite uuid, so nonces arrive in order), and reports 200-responses per second.
import { Client } from 'undici';
import { createSr25519Signer } from '../src/signer.js';
import { type PresignedRequest, presign } from './presign.js';

interface LoadJob {
  port: number;
  /** 32-byte dendrite seed (hex) of a throwaway bench key; the child signs its own requests before measuring. */
  seedHex: string;
  axonHotkey: string;
  connections: number;
  perConnection: number;
  warmupS: number;
  durationS: number;
  /** Reuse requests cyclically (servers that do not check nonces). */
  cycle: boolean;
}

async function run(job: LoadJob): Promise<{
  rps: number;
  ok: number;
  failed: number;
  seconds: number;
  total: number;
  statuses: Record<number, number>;
}> {
  const signer = await createSr25519Signer(Buffer.from(job.seedHex, 'hex'));
  const requests = presign(signer, job.axonHotkey, job.connections, job.perConnection);
  const clients = requests.map(() => new Client(`http://127.0.0.1:${job.port}`, { pipelining: 1 }));
  const t0 = performance.now();
  const warmEnd = t0 + job.warmupS * 1000;
  const end = warmEnd + job.durationS * 1000;
  let ok = 0;
  let failed = 0;
  let total = 0;
  let measuredEnd = end;
  let stop = false;
  const statuses: Record<number, number> = {};
  await Promise.all(
    clients.map(async (client, c) => {
      const list = requests[c] ?? [];
      for (let i = 0; ; i++) {
        const now = performance.now();
        if (now >= end || stop) break;
        if (i >= list.length && !job.cycle) {
          // One connection ran out of pre-signed requests: stop everyone and measure up to here.
          stop = true;
          measuredEnd = Math.min(measuredEnd, now);
          break;
        }
        const r = list[i % list.length] as PresignedRequest;
        const res = await client.request({ path: r.path, method: 'POST', headers: r.headers, body: r.body });
        await res.body.dump();
        total++;
        if (performance.now() >= warmEnd) {
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode === 200) ok++;
          else failed++;
        }
      }
    }),
  );
  await Promise.all(clients.map((c) => c.close()));
  const measuredS = Math.max(0.001, (measuredEnd - warmEnd) / 1000);
  return { rps: ok / measuredS, ok, failed, seconds: measuredS, total, statuses };
}

// One long-lived child serves every phase (no loader start-up between phases); 'exit' ends it.
process.on('message', (job: LoadJob | 'exit') => {
  if (job === 'exit') process.exit(0);
  run(job).then(
    (result) => process.send?.(result),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
});
