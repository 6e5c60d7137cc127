import type { Registry } from '@polkadot/types/types';
import { ChainDecodeError } from '../errors.js';
import type { SubnetStakes } from './build-metagraph.js';
import { ScaleReader } from './scale-reader.js';

type SiDef = ReturnType<Registry['lookup']['getSiType']>['def'];

const PRIMITIVE_SIZES: Record<string, number> = {
  Bool: 1,
  U8: 1,
  I8: 1,
  U16: 2,
  I16: 2,
  U32: 4,
  I32: 4,
  Char: 4,
  U64: 8,
  I64: 8,
  U128: 16,
  I128: 16,
  U256: 32,
  I256: 32,
};

/**
 * Skips SCALE values of metadata lookup types without building codecs; used to pull a few fields out of large
 * runtime-API answers cheaply.
 */
class Skipper {
  readonly #registry: Registry;
  readonly #fixed = new Map<number, number>();

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  def(id: number): SiDef {
    return this.#registry.lookup.getSiType(id).def;
  }

  /** Encoded size when it does not depend on the value, else -1. */
  fixedSize(id: number): number {
    const cached = this.#fixed.get(id);
    if (cached !== undefined) return cached;
    this.#fixed.set(id, -1); // recursion guard
    const d = this.def(id);
    let size = -1;
    if (d.isPrimitive) size = PRIMITIVE_SIZES[d.asPrimitive.type] ?? -1;
    else if (d.isArray) {
      const inner = this.fixedSize(d.asArray.type.toNumber());
      size = inner < 0 ? -1 : inner * d.asArray.len.toNumber();
    } else if (d.isTuple || d.isComposite) {
      const ids = d.isTuple ? d.asTuple.map((t) => t.toNumber()) : d.asComposite.fields.map((f) => f.type.toNumber());
      size = 0;
      for (const t of ids) {
        const s = this.fixedSize(t);
        if (s < 0) {
          size = -1;
          break;
        }
        size += s;
      }
    }
    this.#fixed.set(id, size);
    return size;
  }

  skip(r: ScaleReader, id: number): void {
    const fixed = this.fixedSize(id);
    if (fixed >= 0) {
      r.take(fixed);
      return;
    }
    const d = this.def(id);
    if (d.isCompact) r.compactBig();
    else if (d.isPrimitive && d.asPrimitive.type === 'Str') r.take(r.compact());
    else if (d.isSequence) {
      const n = r.compact();
      const elem = d.asSequence.type.toNumber();
      const es = this.fixedSize(elem);
      if (es >= 0) r.take(es * n);
      else for (let i = 0; i < n; i++) this.skip(r, elem);
    } else if (d.isArray) {
      for (let i = 0; i < d.asArray.len.toNumber(); i++) this.skip(r, d.asArray.type.toNumber());
    } else if (d.isTuple) {
      for (const t of d.asTuple) this.skip(r, t.toNumber());
    } else if (d.isComposite) {
      for (const f of d.asComposite.fields) this.skip(r, f.type.toNumber());
    } else if (d.isVariant) {
      const index = r.u8();
      const v = d.asVariant.variants.find((x) => x.index.toNumber() === index);
      if (!v) throw new ChainDecodeError(`unknown variant index ${index} of type ${id}`);
      for (const f of v.fields) this.skip(r, f.type.toNumber());
    } else {
      throw new ChainDecodeError(`cannot skip type ${id}`);
    }
  }

  /** Reads a `Vec<Compact<int>>` (or `Vec<int>` of u64) as bigints. */
  readIntVec(r: ScaleReader, id: number): bigint[] {
    const d = this.def(id);
    if (!d.isSequence) throw new ChainDecodeError(`type ${id} is not a vector`);
    const elem = this.def(d.asSequence.type.toNumber());
    const n = r.compact();
    const out: bigint[] = new Array(n);
    if (elem.isCompact) {
      for (let i = 0; i < n; i++) out[i] = r.compactBig();
    } else if (elem.isPrimitive && elem.asPrimitive.type === 'U64') {
      for (let i = 0; i < n; i++) out[i] = BigInt(r.u64n());
    } else {
      throw new ChainDecodeError(`type ${id} is not a vector of integers`);
    }
    return out;
  }
}

/**
 * Pulls the per-uid stakes (`alpha_stake`, `tao_stake`, `total_stake`) out of a raw
 * `SubnetInfoRuntimeApi_get_subnet_state` answer (`Option<SubnetState>`), walking the struct layout from metadata and
 * skipping the other fields without decoding them (the full typed decode takes over a second for 1024 uids).
 * @param registry - registry holding the runtime's metadata lookup.
 * @param outputType - lookup id of the runtime API's output type (`Option<SubnetState>`).
 * @param bytes - the raw answer.
 * @returns the stakes, or null when the answer is `None`.
 * @throws ChainDecodeError when the layout is not the expected one.
 */
export function readSubnetStakes(registry: Registry, outputType: number, bytes: Uint8Array): SubnetStakes | null {
  const s = new Skipper(registry);
  const r = new ScaleReader(bytes);
  let structId = outputType;
  const top = s.def(outputType);
  if (top.isVariant) {
    const some = top.asVariant.variants.find((v) => v.name.toString() === 'Some');
    const none = top.asVariant.variants.find((v) => v.name.toString() === 'None');
    if (!some || !none) throw new ChainDecodeError('get_subnet_state output is not an Option');
    const tag = r.u8();
    if (tag === none.index.toNumber()) return null;
    const inner = some.fields[0];
    if (tag !== some.index.toNumber() || !inner) throw new ChainDecodeError(`invalid Option tag ${tag}`);
    structId = inner.type.toNumber();
  }
  const def = s.def(structId);
  if (!def.isComposite) throw new ChainDecodeError('SubnetState is not a struct');
  const found: Record<string, bigint[]> = {};
  for (const f of def.asComposite.fields) {
    const name = f.name.unwrapOr('').toString();
    if (name === 'alpha_stake' || name === 'tao_stake' || name === 'total_stake') {
      found[name] = s.readIntVec(r, f.type.toNumber());
    } else {
      s.skip(r, f.type.toNumber());
    }
  }
  if (r.offset !== bytes.length) throw new ChainDecodeError('trailing bytes after SubnetState');
  const { alpha_stake, tao_stake, total_stake } = found;
  if (!alpha_stake || !tao_stake || !total_stake) throw new ChainDecodeError('SubnetState lacks stake vectors');
  return { alphaStakeRao: alpha_stake, taoStakeRao: tao_stake, totalStakeRao: total_stake };
}
