import { InvalidArgumentError } from '../errors/tensor-errors.js';

/** Serialisable state of a {@link Random} generator (four 32-bit words, plus a cached normal). */
export interface RandomState {
  /** The four 32-bit words of xoshiro128**'s state. */
  s: [number, number, number, number];
  /** The second normal of the last Box–Muller pair, not yet drawn (`null` when none is cached). */
  spare: number | null;
}

/**
 * The one seeded random generator of the project: xoshiro128** (Blackman & Vigna 2018) seeded through
 * splitmix32. All randomness — initialisation, dropout, shuffling, sampling — draws from it on the host,
 * so a seed gives the same numbers on every backend and platform. Its state can be saved and restored
 * (checkpoints resume bit for bit).
 *
 * @example
 * ```ts
 * const rng = new Random(42);
 * rng.uniform();            // in [0, 1)
 * rng.normal();             // N(0, 1)
 * rng.shuffle([1, 2, 3]);   // in place
 * ```
 */
export class Random {
  private s: Uint32Array = new Uint32Array(4);
  private spare: number | null = null;

  /** Seeds the generator (xoshiro128** through splitmix32): the same seed gives the same numbers everywhere. */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new InvalidArgumentError('Random', 'seed', seed, 'must be a finite number');
    // splitmix32 expands the seed into four words (never all zero).
    let x = Math.trunc(seed) >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1] as number, 5), 7), 9) >>> 0;
    const t = (s[1] as number) << 9;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ (s[1] as number);
    s[1] = (s[1] as number) ^ (s[2] as number);
    s[0] = (s[0] as number) ^ (s[3] as number);
    s[2] = (s[2] as number) ^ t;
    s[3] = rotl(s[3] as number, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Normal sample N(mean, std²) by the Box–Muller transform (pairs cached). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** `n` normal samples as a Float32Array. */
  normals(n: number, mean = 0, std = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** `n` uniform samples in [low, high) as a Float32Array. */
  uniforms(n: number, low = 0, high = 1): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = low + (high - low) * this.uniform();
    return out;
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** The generator's state, for checkpoints. */
  getState(): RandomState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]] as [number, number, number, number], spare: this.spare };
  }

  /** Restores a state from {@link Random.getState}. */
  setState(state: RandomState): void {
    this.s = Uint32Array.from(state.s);
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
