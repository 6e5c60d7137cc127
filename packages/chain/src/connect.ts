import { ApiPromise, WsProvider } from '@polkadot/api';
import type { ProviderInterface } from '@polkadot/rpc-provider/types';
import { ChainConnectionError, InvalidNetworkError } from './errors.js';
import { subtensorSignedExtensions } from './subtensor/signed-extensions.js';

/** Endpoints of the public networks (spec chain.md §3). */
export const NETWORK_ENDPOINTS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  'latent-lite': 'wss://lite.sub.latent.to:443',
};

/** Where a network name points. `local` means LocalChain unless an explicit endpoint is given. */
export type ResolvedNetwork = { kind: 'ws'; url: string } | { kind: 'local' };

/**
 * Resolves `--subtensor.network` / `--subtensor.chain_endpoint` / `BT_SUBTENSOR_CHAIN_ENDPOINT` to an endpoint (§3).
 * @param network - `finney`, `test`, `archive`, `latent-lite`, `local`, or a ws(s):// URL.
 * @param chainEndpoint - explicit endpoint; wins over the network name.
 * @param env - environment (default `process.env`).
 * @returns a ws URL, or `{kind: 'local'}` for the embedded LocalChain.
 * @throws InvalidNetworkError for an unknown name or a URL that is not ws(s)://.
 */
export function resolveNetwork(
  network: string | undefined,
  chainEndpoint?: string,
  env: Record<string, string | undefined> = process.env,
): ResolvedNetwork {
  const explicit = chainEndpoint || env.BT_SUBTENSOR_CHAIN_ENDPOINT;
  const candidate = explicit || network || 'finney';
  if (/^wss?:\/\//i.test(candidate)) {
    try {
      new URL(candidate);
    } catch (cause) {
      throw new InvalidNetworkError(`invalid endpoint URL: ${candidate}`, { cause });
    }
    return { kind: 'ws', url: candidate };
  }
  if (explicit) throw new InvalidNetworkError(`chain endpoint must be a ws:// or wss:// URL, got ${candidate}`);
  if (candidate === 'local') return { kind: 'local' };
  const url = NETWORK_ENDPOINTS[candidate];
  if (!url) {
    throw new InvalidNetworkError(
      `unknown network "${candidate}" (use ${Object.keys(NETWORK_ENDPOINTS).join(', ')}, local or a ws(s):// URL)`,
    );
  }
  return { kind: 'ws', url };
}

/** Options of {@link createSubtensorApi}. */
export interface CreateApiOptions {
  /** A ws(s) URL, or a ready provider (e.g. `ReplayProvider`). */
  endpoint?: string;
  provider?: ProviderInterface;
  /** Connection timeout in ms (default 30 000). */
  timeoutMs?: number;
}

/**
 * Opens an `ApiPromise` with the subtensor signed extensions registered from the chain's own metadata (§4.2, C1).
 * @param opts - endpoint or provider.
 * @returns the ready API.
 * @throws UnknownSignedExtensionError for an unknown extension with data; ChainConnectionError when unreachable.
 */
export async function createSubtensorApi(opts: CreateApiOptions): Promise<ApiPromise> {
  const provider = opts.provider ?? new WsProvider(opts.endpoint, 2_500, {}, opts.timeoutMs ?? 30_000);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ChainConnectionError(`no answer from ${opts.endpoint ?? 'provider'} in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    if (!provider.isConnected) {
      await Promise.race([
        new Promise<void>((resolve) => {
          const off = provider.on('connected', () => {
            off();
            resolve();
          });
          if (provider.isConnected) resolve();
        }),
        timeout,
      ]);
    }
    const metadataHex = await Promise.race([provider.send<string>('state_getMetadata', []), timeout]);
    const signedExtensions = subtensorSignedExtensions(metadataHex);
    const api = new ApiPromise({ provider, signedExtensions, noInitWarn: true });
    return await Promise.race([api.isReadyOrError, timeout]);
  } catch (err) {
    if (!opts.provider) await provider.disconnect().catch(() => undefined);
    if (err instanceof Error && 'code' in err) throw err;
    throw new ChainConnectionError(`cannot connect to ${opts.endpoint ?? 'provider'}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
