import type { HeaderSynapse } from '@dojo-ts/protocol';

/** The bittensor blacklist hook: `[blocked, reason]`, run on the unverified header synapse before verification. */
export type BlacklistFn = (synapse: HeaderSynapse) => readonly [boolean, string] | Promise<readonly [boolean, string]>;

/**
 * A blacklist that lets through only the hotkeys `allowed()` currently returns (for example the metagraph's hotkeys).
 *
 * @param allowed - Called per request, so it can follow metagraph resyncs.
 * @returns A {@link BlacklistFn} answering `[true, 'Unrecognized hotkey']` for unknown or missing hotkeys.
 * @example
 * axon.attach(RankingRequestDef, { forward, blacklist: allowHotkeys(() => metagraphHotkeys) });
 */
export function allowHotkeys(allowed: () => ReadonlySet<string>): BlacklistFn {
  return (synapse) => {
    const hotkey = synapse.dendrite.hotkey;
    if (!hotkey || !allowed().has(hotkey)) return [true, 'Unrecognized hotkey'];
    return [false, 'Hotkey recognized!'];
  };
}
