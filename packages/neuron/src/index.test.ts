import { describe, expect, it } from 'vitest';
import * as neuron from './index.js';

describe('public API', () => {
  it('exports exactly the documented runtime names', () => {
    expect(Object.keys(neuron).sort()).toEqual(
      [
        'AxonBusyError',
        'Dendrite',
        'NeuronConfigError',
        'NonceCache',
        'NotVerifiedError',
        'PriorityGate',
        'PriorityTimeoutError',
        'UnknownSynapseDefinitionError',
        'allowHotkeys',
        'assertVerifyLimits',
        'buildAxon',
        'createDefaultVerify',
        'createNonceClock',
        'createSr25519Signer',
        'failedVerification',
        'isBlacklist',
        'isFailure',
        'isSignatureHex',
        'isSuccess',
        'isTimeout',
        'minNonceTtlS',
        'publicKeyOf',
        'signSynapse',
        'signerFromMnemonic',
        'sr25519Ready',
        'verifySr25519',
        'wallClockNs',
      ].sort(),
    );
  });
});
