import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hitCids } from './human-loop.js';
import { pingRedis } from './redis.js';
import { barChart, lineChart } from './report.js';
import { formatLogLine, isAlive, Supervisor } from './supervisor.js';

describe('log formatting', () => {
  it('turns a pino JSON line into message plus fields, marking warnings and errors', () => {
    expect(formatLogLine('{"level":30,"time":1,"pid":2,"msg":"miner serving","axon":"127.0.0.1:1"}')).toBe(
      'miner serving axon=127.0.0.1:1',
    );
    expect(formatLogLine('{"level":50,"msg":"boom","n":3}')).toBe('ERROR boom n=3');
    expect(formatLogLine('plain text')).toBe('plain text');
  });
});

describe('HIT parsing', () => {
  it('finds every crowd-slider name of the miner HTMLQuestion', () => {
    const q =
      '<crowd-slider name="c-1" min="1"></crowd-slider><p>x</p><crowd-slider min="1" name="c-2"></crowd-slider>';
    expect(hitCids(q)).toEqual(['c-1', 'c-2']);
  });
});

describe('report charts', () => {
  it('are inline SVG with one bar per row and escaped labels', () => {
    const svg = barChart([
      { label: '<a>', value: 0.5 },
      { label: 'b', value: 1 },
    ]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('&lt;a&gt;');
    expect(lineChart([{ label: 'm', values: [0, 0.2, 0.4] }])).toContain('<polyline');
  });
});

describe('redis ping', () => {
  it('is false for a port where something else answers', async () => {
    const srv = createServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    expect(await pingRedis(`redis://127.0.0.1:${port}`, 1000)).toBe(false);
    srv.close();
  });
});

describe('supervisor', () => {
  it('waits for a readiness line, then stops the whole process group including grandchildren', async () => {
    const lines: string[] = [];
    const sup = new Supervisor({ cwd: process.cwd(), print: (l) => lines.push(l) });
    // a parent that starts a grandchild sleeper, prints ready and ignores nothing
    const p = sup.spawn(
      'parent',
      process.execPath,
      [
        '-e',
        "const c=require('node:child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});console.log('ready '+c.pid);setInterval(()=>{},1000)",
      ],
      process.env,
    );
    const ready = await p.waitFor(/^ready \d+/, 20_000);
    const grandchild = Number(ready.split(' ')[1]);
    expect(isAlive(grandchild)).toBe(true);
    const stopped = await sup.stopAll(5000);
    expect(stopped).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(isAlive(grandchild)).toBe(false);
    expect(sup.alive()).toEqual([]);
    expect(lines.some((l) => l.includes('ready'))).toBe(true);
  });

  it('rejects a readiness wait when the process exits first, with its last lines', async () => {
    const sup = new Supervisor({ cwd: process.cwd(), print: () => {} });
    const p = sup.spawn('dies', process.execPath, ['-e', "console.log('bad config');process.exit(2)"], process.env);
    await expect(p.waitFor(/never/, 20_000)).rejects.toThrow(/exited \(2\).*\n.*bad config/s);
    await sup.stopAll(1000);
  });
});
