import { ADAMW_WASM_BASE64 } from './adamw-wasm.js';

/** Elements per array per call of the WebAssembly kernel (4 arrays × 64 KiB: they stay in the L2 cache). */
const CHUNK = 16384;

interface AdamwKernel {
  readonly memory: Float32Array;
  readonly run: (...args: number[]) => void;
}

let kernel: AdamwKernel | null | undefined;

/**
 * The WebAssembly SIMD kernel (`wasm/adamw.wat`: four lanes at a time, float32 like the graph's update), or
 * null where WebAssembly SIMD is unavailable. Instantiated once, synchronously (417 bytes).
 */
function adamwKernel(): AdamwKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = Uint8Array.from(atob(ADAMW_WASM_BASE64), (c) => c.charCodeAt(0));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const { memory, adamw } = instance.exports as { memory: WebAssembly.Memory; adamw: (...args: number[]) => void };
    kernel = { memory: new Float32Array(memory.buffer), run: adamw };
  } catch {
    kernel = null;
  }
  return kernel;
}

/**
 * One AdamW update on host arrays, in one pass over the parameter (instead of the thirteen element-wise
 * graph nodes a chain of ONNX ops needs, each reading and writing the whole parameter). The form is
 * `torch.optim.AdamW`'s (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2),
 * as `emitAdamw` writes it, with the constants `k` of `adamwConstants` (c = √(1 − β₂ᵗ)):
 *
 *   m ← β₁·m + (1 − β₁)·g
 *   v ← β₂·v + (1 − β₂)·g²
 *   p ← p·(1 − lr·wd) − (c·lr / (1 − β₁ᵗ)) · m / (√v + c·eps)
 *
 * Shapes: p, g, m, v and the three outputs all hold n elements (any shape, flat). Outputs may be the
 * same arrays as p, m and v (an in-place update): each element is read before it is written.
 *
 * @example
 * ```ts
 * hostAdamw(k, p, g, m, v, p, m, v); // in place
 * ```
 */
export function hostAdamw(
  k: Float32Array,
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  pOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
): void {
  const wasm = adamwKernel();
  if (wasm === null) {
    scalarAdamw(k, p, g, m, v, pOut, mOut, vOut);
    return;
  }
  // Chunks are copied into the module's memory (a memcpy each, from and to cache), updated four lanes at a
  // time, and copied out: one pass over the arrays in memory, as a plain loop would make.
  const mem = wasm.memory;
  const [P, G, M, V] = [0, 1, 2, 3].map((i) => i * CHUNK) as [number, number, number, number];
  const n = p.length;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const len = end - start;
    mem.set(p.subarray(start, end), P);
    mem.set(g.subarray(start, end), G);
    mem.set(m.subarray(start, end), M);
    mem.set(v.subarray(start, end), V);
    wasm.run(
      P * 4,
      G * 4,
      M * 4,
      V * 4,
      len,
      k[0] as number,
      k[1] as number,
      k[2] as number,
      k[3] as number,
      k[4] as number,
      k[5] as number,
      k[6] as number,
    );
    pOut.set(mem.subarray(P, P + len), start);
    mOut.set(mem.subarray(M, M + len), start);
    vOut.set(mem.subarray(V, V + len), start);
  }
}

/**
 * {@link hostAdamw} as a scalar loop (where WebAssembly SIMD is unavailable; the tests compare both).
 *
 * @example
 * ```ts
 * scalarAdamw(k, p, g, m, v, p, m, v);
 * ```
 */
export function scalarAdamw(
  k: Float32Array,
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  pOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
): void {
  // k: decay, beta1, 1 − beta1, beta2, 1 − beta2, step size, eps (see adamwConstants).
  const decay = k[0] as number;
  const beta1 = k[1] as number;
  const oneMinusBeta1 = k[2] as number;
  const beta2 = k[3] as number;
  const oneMinusBeta2 = k[4] as number;
  const stepSize = k[5] as number;
  const eps = k[6] as number;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = Math.fround(beta1 * (m[i] as number) + oneMinusBeta1 * gi);
    const vi = Math.fround(beta2 * (v[i] as number) + oneMinusBeta2 * gi * gi);
    mOut[i] = mi;
    vOut[i] = vi;
    pOut[i] = (p[i] as number) * decay - (stepSize * mi) / (Math.sqrt(vi) + eps);
  }
}
