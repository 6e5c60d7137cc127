import { ChainDecodeError } from '../errors.js';

/** Minimal forward-only SCALE reader over a byte array (little-endian, compact integers). */
export class ScaleReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  offset: number;

  constructor(bytes: Uint8Array, offset = 0) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  need(n: number): void {
    if (this.offset + n > this.bytes.length) {
      throw new ChainDecodeError(`SCALE input truncated at byte ${this.offset} (need ${n} more)`, {
        details: { offset: this.offset, length: this.bytes.length },
      });
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++] as number;
  }

  bool(): boolean {
    const b = this.u8();
    if (b > 1) throw new ChainDecodeError(`invalid bool byte ${b} at ${this.offset - 1}`);
    return b === 1;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  /** u64 as a number (exact below 2^53). */
  u64n(): number {
    this.need(8);
    const lo = this.view.getUint32(this.offset, true);
    const hi = this.view.getUint32(this.offset + 4, true);
    this.offset += 8;
    return hi * 0x1_0000_0000 + lo;
  }

  u128(): bigint {
    this.need(16);
    const lo = this.view.getBigUint64(this.offset, true);
    const hi = this.view.getBigUint64(this.offset + 8, true);
    this.offset += 16;
    return (hi << 64n) | lo;
  }

  /** Compact integer as a number; throws when it does not fit in 2^53. */
  compact(): number {
    this.need(1);
    const b0 = this.bytes[this.offset] as number;
    const mode = b0 & 3;
    if (mode === 0) {
      this.offset += 1;
      return b0 >>> 2;
    }
    if (mode === 1) {
      this.need(2);
      const v = this.view.getUint16(this.offset, true) >>> 2;
      this.offset += 2;
      return v;
    }
    if (mode === 2) {
      this.need(4);
      const v = this.view.getUint32(this.offset, true) >>> 2;
      this.offset += 4;
      return v;
    }
    const big = this.compactBig();
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChainDecodeError(`compact integer too large: ${big}`);
    return Number(big);
  }

  /** Compact integer as a bigint. */
  compactBig(): bigint {
    this.need(1);
    const b0 = this.bytes[this.offset] as number;
    const mode = b0 & 3;
    if (mode !== 3) return BigInt(this.compact());
    const len = (b0 >>> 2) + 4;
    this.need(1 + len);
    let v = 0n;
    for (let i = len; i >= 1; i--) v = (v << 8n) | BigInt(this.bytes[this.offset + i] as number);
    this.offset += 1 + len;
    return v;
  }

  /** A view of the next `n` bytes (no copy). */
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}
