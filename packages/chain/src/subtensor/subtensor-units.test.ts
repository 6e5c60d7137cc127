import { describe, expect, it } from 'vitest';
import { resolveNetwork } from '../connect.js';
import { validateServeAxon } from './serve-axon.js';
import { poolErrorFromRpc } from './tx-result.js';

describe('networks (§3)', () => {
  it('maps names to endpoints and honours the endpoint override', () => {
    expect(resolveNetwork('finney', undefined, {})).toEqual({
      kind: 'ws',
      url: 'wss://entrypoint-finney.opentensor.ai:443',
    });
    expect(resolveNetwork('test', undefined, {})).toEqual({ kind: 'ws', url: 'wss://test.finney.opentensor.ai:443' });
    expect(resolveNetwork('archive', undefined, {}).kind).toBe('ws');
    expect(resolveNetwork('local', undefined, {})).toEqual({ kind: 'local' });
    expect(resolveNetwork('local', 'ws://127.0.0.1:9944', {})).toEqual({ kind: 'ws', url: 'ws://127.0.0.1:9944' });
    expect(resolveNetwork('finney', undefined, { BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://10.0.0.1:9944' })).toEqual({
      kind: 'ws',
      url: 'ws://10.0.0.1:9944',
    });
    expect(resolveNetwork('wss://node.example:443', undefined, {})).toEqual({
      kind: 'ws',
      url: 'wss://node.example:443',
    });
  });
  it('rejects unknown names and non-ws endpoints', () => {
    expect(() => resolveNetwork('mainnet', undefined, {})).toThrow(/unknown network/);
    expect(() => resolveNetwork('finney', 'http://x', {})).toThrow(/ws/);
  });
});

describe('serve_axon checks (§7.4)', () => {
  it('refuses 127.0.0.1 and port 0 with a clear error', () => {
    expect(() => validateServeAxon({ ip: '127.0.0.1', port: 8091, version: 1 })).toThrow(/127\.0\.0\.1/);
    expect(() => validateServeAxon({ ip: '1.2.3.4', port: 0, version: 1 })).toThrow(/port 0/);
    expect(() => validateServeAxon({ ip: '::1', port: 8091, version: 1 })).toThrow(/::1/);
    expect(() => validateServeAxon({ ip: '1.2.3.4', ipType: 6, port: 1, version: 1 })).toThrow(/ipType/);
  });
  it('converts the address to the on-chain integer', () => {
    expect(validateServeAxon({ ip: '1.2.3.4', port: 8091, version: 1020 })).toEqual({
      ip: 16909060n,
      ipText: '1.2.3.4',
      ipType: 4,
      port: 8091,
      protocol: 4,
      version: 1020,
    });
  });
});

describe('pool rejections (§2 channel a)', () => {
  it('reads the custom code of 1010 errors', () => {
    expect(poolErrorFromRpc(new Error('1010: Invalid Transaction: Custom error: 6'))).toMatchObject({
      kind: 'pool',
      code: 6,
    });
    expect(poolErrorFromRpc(new Error('1010: Invalid Transaction: Transaction has a bad signature'))).toMatchObject({
      kind: 'pool',
      code: 255,
    });
    expect(poolErrorFromRpc(new Error('WebSocket is not connected'))).toBeNull();
  });
});

describe('connecting (§3)', () => {
  it('fails with ChainConnectionError when nothing answers on the endpoint', async () => {
    const { createServer } = await import('node:net');
    const srv = createServer();
    const port = await new Promise<number>((resolve) =>
      srv.listen(0, '127.0.0.1', () => resolve((srv.address() as { port: number }).port)),
    );
    await new Promise((r) => srv.close(r));
    const { SubtensorChain } = await import('./subtensor-chain.js');
    await expect(
      SubtensorChain.connect({ chainEndpoint: `ws://127.0.0.1:${port}`, timeoutMs: 1500 }),
    ).rejects.toMatchObject({ code: 'DOJO_CHAIN_CONNECTION' });
  });
  it('refuses network "local" (that is LocalChain)', async () => {
    const { SubtensorChain } = await import('./subtensor-chain.js');
    await expect(SubtensorChain.connect({ network: 'local' })).rejects.toMatchObject({
      code: 'DOJO_CHAIN_INVALID_NETWORK',
    });
  });
});
