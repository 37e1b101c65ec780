import type { AdamWHyper } from '@rlhf/core';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { type EmitValue, reshapeTo, scalarOf } from './emit-value.js';

/**
 * Softmax or log-softmax over the last axis (opset ≥ 13 semantics: one axis, max-shifted).
 *
 * @example
 * ```ts
 * const p = emitSoftmax(g, scores, false); // Softmax(axis=-1)
 * ```
 */
export function emitSoftmax(g: GraphBuilder, x: EmitValue, log: boolean): string {
  return g.add(log ? 'LogSoftmax' : 'Softmax', [x.name], [{ name: 'axis', int: -1 }]);
}

/**
 * RMSNorm over the last axis (Zhang & Sennrich 2019, eq. 4): `x / √(mean(x²) + eps) · w`, x (..., D),
 * w (D). onnxruntime's contrib `SimplifiedLayerNormalization` is exactly this; portable graphs spell it
 * out with `ReduceMean`.
 *
 * @example
 * ```ts
 * const y = emitRmsNorm(g, x, w, 1e-5);
 * ```
 */
export function emitRmsNorm(g: GraphBuilder, x: EmitValue, w: EmitValue, eps: number): string {
  if (g.contribOps) {
    const attrs = [
      { name: 'axis', int: -1 },
      { name: 'epsilon', float: eps },
    ];
    return g.add('SimplifiedLayerNormalization', [x.name, w.name], attrs);
  }
  const meanSquare = g.add(
    'ReduceMean',
    [g.add('Mul', [x.name, x.name]), g.int64([-1])],
    [{ name: 'keepdims', int: 1 }],
  );
  const inverse = g.add('Reciprocal', [g.add('Sqrt', [g.add('Add', [meanSquare, scalarOf(g, eps, 'float32')])])]);
  return g.add('Mul', [g.add('Mul', [x.name, inverse]), w.name]);
}

/**
 * LayerNorm over the last axis (Ba et al. 2016) with the biased variance: ONNX `LayerNormalization`.
 *
 * @example
 * ```ts
 * const y = emitLayerNorm(g, x, w, b, 1e-5);
 * ```
 */
export function emitLayerNorm(g: GraphBuilder, x: EmitValue, w: EmitValue, b: EmitValue, eps: number): string {
  const attrs = [
    { name: 'axis', int: -1 },
    { name: 'epsilon', float: eps },
  ];
  return g.add('LayerNormalization', [x.name, w.name, b.name], attrs);
}

/**
 * SiLU, `x·σ(x)` (Ramachandran et al. 2017). With contrib ops one `QuickGelu` node with α = 1
 * (onnxruntime's `x·σ(α·x)`); portable graphs use `Sigmoid` and `Mul`.
 *
 * @example
 * ```ts
 * const y = emitSilu(g, gate);
 * ```
 */
export function emitSilu(g: GraphBuilder, x: EmitValue): string {
  if (g.contribOps) return g.add('QuickGelu', [x.name], [{ name: 'alpha', float: 1 }], 'com.microsoft');
  return g.add('Mul', [x.name, g.add('Sigmoid', [x.name])]);
}

/**
 * GELU, tanh approximation (Hendrycks & Gimpel 2016; GPT-2's `gelu_new`):
 * `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. With contrib ops one `FastGelu` node (onnxruntime's
 * kernel for exactly this formula); portable graphs spell it out.
 *
 * @example
 * ```ts
 * const y = emitGelu(g, h);
 * ```
 */
export function emitGelu(g: GraphBuilder, x: EmitValue): string {
  if (g.contribOps) return g.add('FastGelu', [x.name], [], 'com.microsoft');
  const c = (v: number) => scalarOf(g, v, 'float32');
  const cube = g.add('Mul', [g.add('Mul', [x.name, x.name]), x.name]);
  const inner = g.add('Mul', [g.add('Add', [x.name, g.add('Mul', [cube, c(0.044715)])]), c(Math.sqrt(2 / Math.PI))]);
  return g.add('Mul', [g.add('Mul', [x.name, c(0.5)]), g.add('Add', [g.add('Tanh', [inner]), c(1)])]);
}

/**
 * Rotary embedding, rotate-half layout (Su et al. 2021, eq. 34): `x·cos + rotate_half(x)·sin`, x
 * (B, H, T, Dh), cos and sin (Bc = B or 1, 1, T, Dh) with repeated halves. With contrib ops, one
 * `RotaryEmbedding` node (non-interleaved): its caches are the tables' first halves as (Bc·T, Dh/2) rows
 * and the position ids index those rows, `(b, t) ↦ b·T + t` (b = 0 when Bc = 1), so any per-sequence
 * positions are honoured. Portable graphs spell it out (Split, Neg, Concat, Mul, Add). Shapes come from
 * shape parameters only, so the emission serves dynamic graphs too.
 *
 * @example
 * ```ts
 * const y = emitRotary(g, q, cos, sin);
 * ```
 */
export function emitRotary(g: GraphBuilder, x: EmitValue, cos: EmitValue, sin: EmitValue): string {
  const [batch, , seqLen, headDim] = x.shape as [number, number, number, number];
  const tableBatch = cos.shape[0] as number;
  const half = headDim / 2;
  if (!g.contribOps) {
    const [x1, x2] = g.addMulti('Split', [x.name, g.shapeParam([half, half])], 2, [{ name: 'axis', int: -1 }]);
    const rotated = g.add('Concat', [g.add('Neg', [x2 as string]), x1 as string], [{ name: 'axis', int: -1 }]);
    return g.add('Add', [g.add('Mul', [x.name, cos.name]), g.add('Mul', [rotated, sin.name])]);
  }
  const rows = tableBatch * seqLen;
  const cache = (table: EmitValue) =>
    g.memo(`rotary-cache:${table.name}`, () =>
      g.add('Slice', [
        reshapeTo(g, table.name, [rows, headDim]),
        g.shapeParam([0]),
        g.shapeParam([half]),
        g.int64([1]),
      ]),
    );
  const positions = g.memo(`rotary-positions:${cos.name}:${batch}`, () => {
    const count = reshapeTo(g, g.shapeParam([rows]), []);
    const range = g.add('Range', [g.scalar(0, 'int64'), count, g.scalar(1, 'int64')]); // (Bc·T)
    return g.add('Expand', [reshapeTo(g, range, [tableBatch, seqLen]), g.shapeParam([batch, seqLen])]); // (B, T)
  });
  return g.add(
    'RotaryEmbedding',
    [x.name, positions, cache(cos), cache(sin)],
    [{ name: 'interleaved', int: 0 }],
    'com.microsoft',
  );
}

/** Order of the per-step constants in the `adamw` node's fifth input. */
const ADAMW_CONSTANTS = ['decay', 'beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'stepSize', 'eps'] as const;

/**
 * The constants of {@link adamwConstants} for a gradient `G · s` given as G: AdamW reads the gradient
 * only through `(1 − β₁)·g` and `(1 − β₂)·g²`, so those two constants are multiplied by s and s². Shapes:
 * k (7), s one element → (7).
 *
 * @example
 * ```ts
 * const k2 = emitAdamwScale(g, constants, clipCoefficient);
 * ```
 */
export function emitAdamwScale(g: GraphBuilder, k: EmitValue, s: EmitValue): string {
  const s1 = reshapeTo(g, s.name, [1]);
  const one = reshapeTo(g, g.scalar(1, 'float'), [1]);
  const factors = g.add('Concat', [one, one, s1, one, g.add('Mul', [s1, s1]), one, one], [{ name: 'axis', int: 0 }]);
  return g.add('Mul', [k.name, factors]);
}

/**
 * The per-step constants of one AdamW update, in the order the graph reads them: they are fed as a
 * graph input, so a changing learning rate or step number never changes the compiled graph. With
 * `c = √(1 − β₂ᵗ)`, the step size is `c · lr / (1 − β₁ᵗ)` and eps is `c · eps` (see {@link emitAdamw}).
 *
 * @example
 * ```ts
 * adamwConstants({ lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, step: 1 })[5]; // 0.1 (= √0.01 · 0.1 / 0.1)
 * ```
 */
export function adamwConstants(h: AdamWHyper): Float32Array {
  const bc2Sqrt = Math.sqrt(1 - h.beta2 ** h.step);
  return Float32Array.of(
    1 - h.lr * h.weightDecay,
    h.beta1,
    1 - h.beta1,
    h.beta2,
    1 - h.beta2,
    (bc2Sqrt * h.lr) / (1 - h.beta1 ** h.step),
    bc2Sqrt * h.eps,
  );
}

/**
 * One AdamW step in `torch.optim.AdamW`'s form (as core's composition and backend-js compute it):
 * `m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g·g; p ← p·(1 − lr·wd) − (lr/(1−β₁ᵗ))·m / (√v / c + eps)` with
 * `c = √(1−β₂ᵗ)`. The last term is emitted as `(c·lr/(1−β₁ᵗ))·m / (√v + c·eps)` (the same value, one
 * element-wise pass fewer: every pass reads and writes the whole parameter), and without the decay
 * multiplication when `decay` is false (weight decay 0). `k` holds {@link adamwConstants}. Returns
 * `[param, m, v]`.
 *
 * @example
 * ```ts
 * const [p2, m2, v2] = emitAdamw(g, p, grad, m, v, k, true);
 * ```
 */
export function emitAdamw(
  g: GraphBuilder,
  p: EmitValue,
  grad: EmitValue,
  m: EmitValue,
  v: EmitValue,
  k: EmitValue,
  decay: boolean,
): string[] {
  const c = Object.fromEntries(
    ADAMW_CONSTANTS.map((name, i) => [
      name,
      g.memo(`adamw:${k.name}:${i}`, () => g.add('Gather', [k.name, g.int64([i], [])], [{ name: 'axis', int: 0 }])),
    ]),
  ) as Record<(typeof ADAMW_CONSTANTS)[number], string>;
  const m2 = g.add('Add', [g.add('Mul', [c.beta1, m.name]), g.add('Mul', [c.oneMinusBeta1, grad.name])]);
  const v2 = g.add('Add', [
    g.add('Mul', [c.beta2, v.name]),
    g.add('Mul', [g.add('Mul', [c.oneMinusBeta2, grad.name]), grad.name]),
  ]);
  const denom = g.add('Add', [g.add('Sqrt', [v2]), c.eps]);
  const decayed = decay ? g.add('Mul', [p.name, c.decay]) : p.name;
  const p2 = g.add('Sub', [decayed, g.add('Div', [g.add('Mul', [c.stepSize, m2]), denom])]);
  return [p2, m2, v2];
}
