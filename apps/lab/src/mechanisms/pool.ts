import type { Obj, PoolEntry } from './config.js';

/** One simulated miner: its uid (list order), hotkey, strategy and strategy args. */
export interface SimMiner {
  uid: number;
  hotkey: string;
  strategy: string;
  args: Obj;
  /** Cost per request (lab.md §9.1), resolved from `args.cost` or the strategy default. */
  cost: number;
}

/**
 * Expands a pool into miners, uids assigned in list order (lab.md §9.1).
 * @param entries - validated pool entries.
 * @param defaultCost - the strategy's default cost per request given its args.
 * @returns one miner per pool slot.
 */
export function expandPool(
  entries: readonly PoolEntry[],
  defaultCost: (strategy: string, args: Obj) => number,
): SimMiner[] {
  const miners: SimMiner[] = [];
  for (const e of entries) {
    for (let i = 0; i < e.count; i++) {
      const uid = miners.length;
      miners.push({
        uid,
        hotkey: e.hotkeys?.[i] ?? `5${e.strategy}-${uid}`,
        strategy: e.strategy,
        args: e.args,
        cost: typeof e.args.cost === 'number' ? e.args.cost : defaultCost(e.strategy, e.args),
      });
    }
  }
  return miners;
}
