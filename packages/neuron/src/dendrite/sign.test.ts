import { bodyHashFor, ChunkSynapseDef, emptyTerminalInfo } from '@dojo-ts/protocol';
import { describe, expect, it } from 'vitest';
import { verifySr25519 } from '../crypto/sr25519.js';
import { createSr25519Signer } from '../signer.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { createNonceClock, signSynapse } from './sign.js';

describe('createNonceClock', () => {
  it('returns max(wall_ns, last + 1): strictly increasing even when the clock stalls or steps back', () => {
    let wall = 1_795_000_000_000_000_000n;
    const next = createNonceClock(() => wall);
    expect(next()).toBe(1_795_000_000_000_000_000n);
    expect(next()).toBe(1_795_000_000_000_000_001n);
    wall -= 5_000n;
    expect(next()).toBe(1_795_000_000_000_000_002n);
    wall += 1_000_000n;
    expect(next()).toBe(1_795_000_000_000_995_000n);
  });
});

describe('signSynapse', () => {
  it('signs {nonce}.{dendrite}.{axon}.{uuid}.{body_hash} with 0x + 128 hex (wire.md §9.1)', async () => {
    const signer = await createSr25519Signer(new Uint8Array(32).fill(5));
    const axonHotkey = (await createSr25519Signer(new Uint8Array(32).fill(6))).address;
    const s = ChunkSynapseDef.create({ document: 'Hello world. Bye.', chunk_size: 4096 });
    s.dendrite = { ...emptyTerminalInfo(), nonce: 1795435641071000000n, uuid: 'u-1', hotkey: signer.address };
    s.axon = { ...emptyTerminalInfo(), hotkey: axonHotkey };
    const hash = signSynapse(signer, ChunkSynapseDef, s);
    expect(hash).toBe('60ed704f9f17012e03dde6cda3aa27f8542ab773e4c41f68bce9b1299508ca59');
    expect(s.dendrite.signature).toMatch(/^0x[0-9a-f]{128}$/);
    const msg = `1795435641071000000.${signer.address}.${axonHotkey}.u-1.${hash}`;
    expect(verifySr25519(s.dendrite.signature ?? '', msg, signer.address)).toBe(true);
  });

  it('signs the precomputed body hash it is given (one hash per fan-out), the same message as hashing itself', async () => {
    const signer = await createSr25519Signer(new Uint8Array(32).fill(5));
    const s = ChunkSynapseDef.create({ document: 'Hello world. Bye.', chunk_size: 4096 });
    s.dendrite = { ...emptyTerminalInfo(), nonce: 7n, uuid: 'u-2', hotkey: signer.address };
    s.axon = { ...emptyTerminalInfo(), hotkey: signer.address };
    const hash = bodyHashFor(ChunkSynapseDef, s as unknown as Record<string, unknown>);
    expect(signSynapse(signer, ChunkSynapseDef, s, hash)).toBe(hash);
    const msg = `7.${signer.address}.${signer.address}.u-2.${hash}`;
    expect(verifySr25519(s.dendrite.signature ?? '', msg, signer.address)).toBe(true);
  });
});

describe('KeyedLimiter', () => {
  it('holds at most max per key, frees keys when idle and gives up a wait on abort', async () => {
    const limiter = new KeyedLimiter(1);
    const a1 = await limiter.acquire('a');
    const b1 = await limiter.acquire('b');
    let a2Granted = false;
    const a2 = limiter.acquire('a').then((release) => {
      a2Granted = true;
      return release;
    });
    const ctrl = new AbortController();
    const a3 = limiter.acquire('a', ctrl.signal);
    ctrl.abort(new Error('gave up'));
    await expect(a3).rejects.toThrow('gave up');
    await Promise.resolve();
    expect(a2Granted).toBe(false);
    a1();
    (await a2)();
    b1();
    expect(limiter.size).toBe(0);
  });

  it('tryAcquire takes a free slot without waiting and refuses a full key', () => {
    const limiter = new KeyedLimiter(1);
    const a = limiter.tryAcquire('a');
    expect(a).not.toBeNull();
    expect(limiter.tryAcquire('a')).toBeNull();
    a?.();
    expect(limiter.size).toBe(0);
    limiter.tryAcquire('a')?.();
    expect(limiter.size).toBe(0);
  });
});
