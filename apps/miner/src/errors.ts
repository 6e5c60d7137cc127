import { DojoError, type DojoErrorOptions } from '@dojo-ts/protocol';

/** A flag or env value does not validate; the message names the flag (or env var) and what to do. */
export class ConfigError extends DojoError {
  override name = 'ConfigError';
  readonly flag: string;
  constructor(flag: string, message: string, options: DojoErrorOptions = {}) {
    super('DOJO_MINER_CONFIG', `${flag}: ${message}`, { ...options, details: { flag } });
    this.flag = flag;
  }
}

/** The miner hotkey is not registered on the subnet. */
export class NotRegisteredError extends DojoError {
  override name = 'NotRegisteredError';
  constructor(hotkey: string, netuid: number) {
    super(
      'DOJO_MINER_NOT_REGISTERED',
      `hotkey ${hotkey} is not registered on netuid ${netuid}; register it first (btcli subnet register --netuid ${netuid})`,
      { details: { hotkey, netuid } },
    );
  }
}

/** serve_axon failed after every retry. */
export class ServeAxonError extends DojoError {
  override name = 'ServeAxonError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_MINER_SERVE_AXON', message, options);
  }
}

/** A scorer (hf_model / llm_api / aws_mturk) failed or timed out for one request. */
export class ScorerError extends DojoError {
  override name = 'ScorerError';
  constructor(message: string, options: DojoErrorOptions = {}) {
    super('DOJO_MINER_SCORER', message, options);
  }
}

/** The HIT question would exceed MTurk's 65 535-byte limit. */
export class HitTooLargeError extends DojoError {
  override name = 'HitTooLargeError';
  constructor(bytes: number) {
    super('DOJO_MINER_HIT_TOO_LARGE', `HTMLQuestion is ${bytes} bytes, above MTurk's 65535-byte limit`, {
      details: { bytes },
    });
  }
}

/** A human-feedback callback was refused (signature, freshness, size or shape); `status` is the HTTP answer. */
export class CallbackRejectedError extends DojoError {
  override name = 'CallbackRejectedError';
  readonly status: number;
  constructor(status: number, message: string) {
    super('DOJO_MINER_CALLBACK_REJECTED', message, { details: { status } });
    this.status = status;
  }
}
