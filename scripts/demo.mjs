#!/usr/bin/env node
// `npm run demo`: the one-command local subnet demo (apps/demo). Works from a fresh clone: installs the workspace with
// `npm ci` when node_modules is missing, then runs apps/demo/src/main.ts from source (Redis is found or started there).
// Flags are passed through: node scripts/demo.mjs --deadline_s 10 --quiet
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 18)) {
  console.error(`[demo] Node >= 20.18 is required (found ${process.versions.node})`);
  process.exit(1);
}
if (!existsSync(join(root, 'node_modules', 'tsx')) || !existsSync(join(root, 'node_modules', '@dojo-ts', 'demo'))) {
  console.log('[demo] node_modules is missing: running npm ci (once)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  let r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    // e.g. a registry mirror without some platform-optional packages makes `npm ci` refuse the lock file
    console.error('[demo] npm ci failed: trying npm install (it may update package-lock.json)');
    r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  if (r.status !== 0) {
    console.error('[demo] installing the workspace failed');
    process.exit(r.status ?? 1);
  }
}

const args = process.argv.slice(2);
let out = null;
const i = args.indexOf('--out');
if (i >= 0 && args[i + 1]) out = resolve(args[i + 1]);
else {
  out = join(root, 'runs', `demo-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  args.push('--out', out);
}
// Own process group, so Ctrl-C reaches the orchestrator once (forwarded below) and it stops its children cleanly.
const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/demo/src/main.ts', ...args], {
  cwd: root,
  stdio: 'inherit',
  detached: true,
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    try {
      child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig);
    } catch {
      // already gone
    }
  });
}
child.on('exit', (code, signal) => {
  // Safety net: anything the orchestrator recorded as started and that still runs is killed.
  try {
    const pids = JSON.parse(readFileSync(join(out, 'pids.json'), 'utf8'));
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
        console.error(`[demo] killed leftover process group ${pid}`);
      } catch {
        // not running
      }
    }
  } catch {
    // no pid file: nothing was started
  }
  process.exit(code ?? (signal ? 130 : 1));
});
