// Small seeded PRNG (sfc32) for the per-image randomness of the renderer; not for secrets.
import { randomFillSync } from 'node:crypto';

const seedView = new Float64Array(1);
const seedWords = new Uint32Array(seedView.buffer);
const pool = new Uint32Array(256);
let poolIndex = pool.length;

function cryptoWord(): number {
  if (poolIndex === pool.length) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  return pool[poolIndex++]!;
}

/**
 * A sfc32 generator. The same seed always gives the same sequence; any finite number is a
 * valid seed (its 64 bits are used). Without a seed, the state is drawn from node:crypto.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed?: number) {
    if (seed === undefined) {
      this.a = cryptoWord();
      this.b = cryptoWord();
      this.c = cryptoWord();
      this.d = cryptoWord();
    } else {
      if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
      seedView[0] = seed;
      this.a = 0x9e3779b9;
      this.b = seedWords[0]!;
      this.c = seedWords[1]!;
      this.d = 1;
    }
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A generator whose state is the first 16 bytes of `bytes` (e.g. an HMAC), not a number seed. */
  static fromBytes(bytes: Uint8Array): Random {
    if (bytes.length < 16) throw new RangeError('Random.fromBytes needs at least 16 bytes');
    const rng = new Random(0);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    rng.a = view.getUint32(0, true) | 0;
    rng.b = view.getUint32(4, true) | 0;
    rng.c = view.getUint32(8, true) | 0;
    rng.d = view.getUint32(12, true) | 0;
    for (let i = 0; i < 15; i++) rng.next();
    return rng;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** A uniform float in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** A uniform integer in [min, max] (slightly biased for huge ranges; fine for drawing). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** -1 or 1 with equal probability. */
  sign(): number {
    return this.next() & 1 ? 1 : -1;
  }
}
