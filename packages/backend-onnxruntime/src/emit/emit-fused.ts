import type { AdamWHyper } from '@rlhf/core';
import type { GraphBuilder } from '../onnx/graph-builder.js';
import { type EmitValue, scalarOf } from './emit-value.js';

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

/** Order of the per-step constants in the `adamw` node's fifth input. */
const ADAMW_CONSTANTS = [
  'decay',
  'beta1',
  'oneMinusBeta1',
  'beta2',
  'oneMinusBeta2',
  'stepSize',
  'bc2Sqrt',
  'eps',
] as const;

/**
 * The per-step constants of one AdamW update, in the order the graph reads them: they are fed as a
 * graph input, so a changing learning rate or step number never changes the compiled graph.
 *
 * @example
 * ```ts
 * adamwConstants({ lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 })[5]; // 1 (= lr / (1 − 0.9))
 * ```
 */
export function adamwConstants(h: AdamWHyper): Float32Array {
  return Float32Array.of(
    1 - h.lr * h.weightDecay,
    h.beta1,
    1 - h.beta1,
    h.beta2,
    1 - h.beta2,
    h.lr / (1 - h.beta1 ** h.step),
    Math.sqrt(1 - h.beta2 ** h.step),
    h.eps,
  );
}

/**
 * One AdamW step in `torch.optim.AdamW`'s form (as core's composition and backend-js compute it):
 * `m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g·g; p ← p·(1 − lr·wd) − (lr/(1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + eps)`.
 * `k` holds {@link adamwConstants}. Returns `[param, m, v]`.
 *
 * @example
 * ```ts
 * const [p2, m2, v2] = emitAdamw(g, p, grad, m, v, k);
 * ```
 */
export function emitAdamw(
  g: GraphBuilder,
  p: EmitValue,
  grad: EmitValue,
  m: EmitValue,
  v: EmitValue,
  k: EmitValue,
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
  const denom = g.add('Add', [g.add('Div', [g.add('Sqrt', [v2]), c.bc2Sqrt]), c.eps]);
  const p2 = g.add('Sub', [g.add('Mul', [p.name, c.decay]), g.add('Div', [g.add('Mul', [c.stepSize, m2]), denom])]);
  return [p2, m2, v2];
}
