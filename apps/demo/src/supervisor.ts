/**
 * A small process supervisor for the demo: spawns each neuron as its own process group (`detached`), streams its
 * output line by line with a coloured name prefix, waits for readiness lines, and stops every group it started
 * (SIGTERM, then SIGKILL after a grace period). `killAllSync` is the last resort on an unexpected exit.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import { DemoProcessError } from './errors.js';

/** One supervised child process. */
export interface Managed {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines it printed (bounded). */
  readonly tail: string[];
  /** Resolves when it exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line (already printed or future) matching `pattern`; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
}

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  /** Working directory of the children. */
  cwd: string;
  /** Receives every printed (formatted) line; default: stdout. */
  print?: (line: string) => void;
  /** File receiving every raw line of every child, prefixed with its name. */
  logFile?: string;
  /** Decides whether a formatted line is shown live (all of them still go to the log file). */
  show?: (name: string, line: string) => boolean;
}

const TAIL = 200;
const COLORS = [36, 33, 35, 32, 34, 91, 96, 93, 95];

/** `{"level":30,"msg":"miner serving","axon":"..."}` → `miner serving axon=...` (pino JSON made readable). */
export function formatLogLine(raw: string): string {
  if (!raw.startsWith('{')) return raw;
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    const level = typeof o.level === 'number' ? o.level : 30;
    const tag = level >= 50 ? 'ERROR ' : level >= 40 ? 'WARN ' : '';
    const skip = new Set(['level', 'time', 'pid', 'hostname', 'app', 'msg', 'v', 'component', 'config', 'flags']);
    const extra = Object.entries(o)
      .filter(([k]) => !skip.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    const line = `${tag}${String(o.msg ?? '')}${extra ? ` ${extra}` : ''}`;
    return line.length > 240 ? `${line.slice(0, 237)}...` : line;
  } catch {
    return raw;
  }
}

/** Process state letter from /proc (Linux), or null when unknown. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/**
 * True when a process (or, with a negative id, any member of that process group) still runs. Zombies (exited, not yet
 * reaped by an init that does not reap) count as gone.
 * @param pid - process id, or minus a process group id.
 * @returns whether it is alive.
 */
export function isAlive(pid: number): boolean {
  if (existsSync('/proc/self/stat')) {
    if (pid > 0) {
      const st = procState(pid);
      return st !== null && st !== 'Z' && st !== 'X';
    }
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === -pid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
      } catch {
        // exited meanwhile
      }
    }
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Spawns, watches and stops the demo's processes. */
export class Supervisor {
  readonly processes: Managed[] = [];
  private readonly log: WriteStream | null;
  private readonly print: (line: string) => void;
  private readonly width = 12;

  constructor(private readonly opts: SupervisorOptions) {
    this.print = opts.print ?? ((l) => process.stdout.write(`${l}\n`));
    this.log = opts.logFile ? createWriteStream(opts.logFile, { flags: 'a' }) : null;
  }

  /**
   * Runs a TypeScript entry point from source: `node --conditions=source --import tsx <entry> <args>`.
   * @param name - short label used as the log prefix.
   * @param entry - path of the `.ts` file.
   * @param args - command-line flags.
   * @param env - full environment of the child.
   * @returns the managed process.
   */
  spawnTs(name: string, entry: string, args: readonly string[], env: NodeJS.ProcessEnv): Managed {
    return this.spawn(name, process.execPath, ['--conditions=source', '--import', 'tsx', entry, ...args], env);
  }

  /**
   * Spawns any command in its own process group.
   * @param name - short label used as the log prefix.
   * @param command - executable.
   * @param args - arguments.
   * @param env - full environment of the child.
   * @returns the managed process.
   * @throws DemoProcessError when the process could not be started.
   */
  spawn(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv): Managed {
    const child = spawn(command, [...args], {
      cwd: this.opts.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid === undefined) throw new DemoProcessError(name, `could not start ${command}`);
    const pid = child.pid;
    const color = COLORS[this.processes.length % COLORS.length] ?? 36;
    const label = `\x1b[${color}m${name.padEnd(this.width).slice(0, this.width)}\x1b[0m|`;
    const tail: string[] = [];
    const waiters: Array<{ pattern: RegExp; resolve: (l: string) => void }> = [];
    const onLine = (raw: string) => {
      tail.push(raw);
      if (tail.length > TAIL) tail.shift();
      if (!this.log?.writableEnded) this.log?.write(`${name} | ${raw}\n`);
      const line = formatLogLine(raw);
      if (this.opts.show?.(name, line) ?? true) this.print(`${label} ${line}`);
      for (const w of [...waiters]) {
        if (w.pattern.test(raw) || w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(raw);
        }
      }
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream?.on('data', (d: Buffer) => {
        buf += d.toString('utf8');
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        if (buf.length > 65536) buf = buf.slice(-65536);
        for (const p of parts) if (p.trim() !== '') onLine(p);
      });
    }
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: -1, signal: null }));
    });
    const managed: Managed = {
      name,
      pid,
      child,
      tail,
      exited,
      waitFor: (pattern, timeoutMs) => {
        const found = tail.find((l) => pattern.test(l) || pattern.test(formatLogLine(l)));
        if (found) return Promise.resolve(found);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            cleanup();
            reject(new DemoProcessError(name, `not ready after ${timeoutMs} ms (waiting for ${pattern})`));
          }, timeoutMs);
          const waiter = {
            pattern,
            resolve: (l: string) => {
              cleanup();
              resolve(l);
            },
          };
          const onExit = ({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }) => {
            cleanup();
            reject(
              new DemoProcessError(
                name,
                `exited (${code ?? signal}) before ${pattern}; last lines:\n${tail.slice(-15).join('\n')}`,
              ),
            );
          };
          const cleanup = () => {
            clearTimeout(timer);
            const i = waiters.indexOf(waiter);
            if (i >= 0) waiters.splice(i, 1);
          };
          waiters.push(waiter);
          void exited.then(onExit);
        });
      },
    };
    this.processes.push(managed);
    return managed;
  }

  /** Appends a line from an in-process component (e.g. the Lambda forwarder) to the log file only. */
  logLine(name: string, line: string): void {
    if (!this.log?.writableEnded) this.log?.write(`${name} | ${line}\n`);
  }

  /** Pids of every process started (alive or not). */
  pids(): number[] {
    return this.processes.map((p) => p.pid);
  }

  /** Pids whose process or process group still exists. */
  alive(): number[] {
    return this.processes.filter((p) => isAlive(p.pid) || isAlive(-p.pid)).map((p) => p.pid);
  }

  /**
   * Stops every process group, newest first: SIGTERM, then SIGKILL after `graceMs`.
   * @param graceMs - time each group gets to exit cleanly.
   * @returns names and exit codes.
   */
  async stopAll(
    graceMs = 15_000,
    beforeRedis: () => Promise<void> = async () => {},
  ): Promise<Array<{ name: string; pid: number; code: number | null; signal: string | null }>> {
    const order = [...this.processes].reverse();
    // neurons first (everything but redis), then redis, so they can close their connections cleanly
    const neurons = order.filter((p) => p.name !== 'redis');
    const rest = order.filter((p) => p.name === 'redis');
    const out: Array<{ name: string; pid: number; code: number | null; signal: string | null }> = [];
    for (const [k, group] of [neurons, rest].entries()) {
      if (k === 1) await beforeRedis().catch(() => {});
      await Promise.all(
        group.map(async (p) => {
          signalGroup(p.pid, 'SIGTERM');
          const timer = setTimeout(() => signalGroup(p.pid, 'SIGKILL'), graceMs);
          const res = await p.exited;
          clearTimeout(timer);
          // anything the child left in its group goes too
          if (isAlive(-p.pid)) signalGroup(p.pid, 'SIGKILL');
          out.push({ name: p.name, pid: p.pid, code: res.code, signal: res.signal });
        }),
      );
    }
    await new Promise<void>((resolve) => {
      if (!this.log) resolve();
      else this.log.end(() => resolve());
    });
    return out;
  }

  /** Synchronous last resort (process 'exit' handler): SIGKILL every group still alive. */
  killAllSync(): void {
    for (const p of this.processes) if (isAlive(-p.pid) || isAlive(p.pid)) signalGroup(p.pid, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
