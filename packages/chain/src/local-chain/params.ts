/** Subnet hyperparameters of LocalChain (spec chain.md §13.2; defaults differ from finney on purpose). */
export interface LocalSubnetParams {
  /** Blocks per epoch. Default 10. */
  tempo: number;
  /** Blocks between weight sets of one hotkey. Default 100. */
  weightsRateLimit: number;
  /** Minimum `version_key` (0 = unchecked). Default 0. */
  weightsVersionKey: number;
  /** Default 1. */
  minAllowedWeights: number;
  /** Raw u16. Default 65535. */
  maxWeightsLimit: number;
  /** Default false on LocalChain. */
  commitRevealEnabled: boolean;
  /** Default 1. */
  revealPeriodEpochs: number;
  /** Blocks between axon changes of one hotkey. Default 50. */
  servingRateLimit: number;
  /** Default 5000. */
  immunityPeriod: number;
  /** Blocks without a weights update before a uid is inactive. Default 5000. */
  activityCutoff: number;
  /** Default 256. */
  maxAllowedUids: number;
  /** Validator permits per epoch (top stake). Default 64. */
  maxValidators: number;
  /** Emission per block in rao, split 50 % by incentive and 50 % by dividends at each epoch. Default 1e9 (1 TAO). */
  emissionPerBlockRao: number;
  /** Subnet owner hotkey (exempt from the permit and stake checks), or '' for none. */
  ownerHotkey: string;
}

/** LocalChain defaults (§13.2). */
export const LOCAL_SUBNET_DEFAULTS: LocalSubnetParams = {
  tempo: 10,
  weightsRateLimit: 100,
  weightsVersionKey: 0,
  minAllowedWeights: 1,
  maxWeightsLimit: 65535,
  commitRevealEnabled: false,
  revealPeriodEpochs: 1,
  servingRateLimit: 50,
  immunityPeriod: 5000,
  activityCutoff: 5000,
  maxAllowedUids: 256,
  maxValidators: 64,
  emissionPerBlockRao: 1e9,
  ownerHotkey: '',
};

/** Hash-field form of a parameter value (booleans as 1/0). */
export function encodeParam(value: number | boolean | string): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** Reads a subnet `hyper` hash back into typed parameters. */
export function decodeParams(hash: Record<string, string>): LocalSubnetParams {
  const out: Record<string, number | boolean | string> = { ...LOCAL_SUBNET_DEFAULTS };
  for (const [key, def] of Object.entries(LOCAL_SUBNET_DEFAULTS)) {
    const raw = hash[key];
    if (raw === undefined) continue;
    out[key] = typeof def === 'boolean' ? raw === '1' : typeof def === 'number' ? Number(raw) : raw;
  }
  return out as unknown as LocalSubnetParams;
}
