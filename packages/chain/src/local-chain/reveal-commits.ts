import { encodeAddress } from '@polkadot/util-crypto';
import type { Redis } from 'ioredis';
import { signRound, timelockDecrypt } from '../timelock/timelock.js';
import { DROP_COMMIT, REVEAL_COMMIT } from './lua-scripts.js';
import { decodeWeightsTlockPayload, type WeightsTlockPayload } from './tlock-payload.js';

interface StoredCommit {
  hotkey: string;
  commit: string;
  revealRound: number;
  revealEpoch: number;
}

function openCommit(hex: string, round: number, beaconSecret: bigint): WeightsTlockPayload | null {
  try {
    return decodeWeightsTlockPayload(timelockDecrypt(Buffer.from(hex.slice(2), 'hex'), signRound(beaconSecret, round)));
  } catch {
    return null;
  }
}

/**
 * Reveals the commits due in `block`'s epoch (§13.6): signs the round with the local beacon, decrypts, checks the
 * payload hotkey and applies §7.2 in one script per commit (which also removes it, so a reveal happens once even with
 * a crash or a second producer). Undecryptable, foreign and stale commits are dropped.
 * @param redis - connection.
 * @param namespace - network prefix.
 * @param block - the block just produced.
 * @param tempoOf - tempo of a subnet.
 * @param beaconSecret - local beacon secret scalar.
 */
export async function revealCommits(
  redis: Redis,
  namespace: string,
  block: number,
  tempoOf: (netuid: number) => Promise<number>,
  beaconSecret: bigint,
): Promise<void> {
  for (const s of await redis.smembers(`${namespace}subnets`)) {
    const netuid = Number(s);
    const entries = Object.entries(await redis.hgetall(`${namespace}subnet:${netuid}:commits`));
    if (entries.length === 0) continue;
    const epoch = Math.floor((block + netuid + 1) / ((await tempoOf(netuid)) + 1));
    for (const [field, json] of entries) {
      const c = JSON.parse(json) as StoredCommit;
      if (c.revealEpoch > epoch) continue;
      const payload = c.revealEpoch === epoch ? openCommit(c.commit, c.revealRound, beaconSecret) : null;
      if (!payload || encodeAddress(payload.hotkey, 42) !== c.hotkey) {
        await DROP_COMMIT.run(redis, [namespace, netuid, field]);
        continue;
      }
      const args = [JSON.stringify(payload.uids), JSON.stringify(payload.values), payload.versionKey.toString()];
      await REVEAL_COMMIT.run(redis, [namespace, netuid, field, c.hotkey, ...args]);
    }
  }
}
