import type { TensorBackend } from '../backend/backend-spec.js';
import { gelu, silu } from '../ops/activations.js';
import { mul } from '../ops/elementwise.js';
import type { Random } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/**
 * SwiGLU feed-forward (Shazeer 2020, eq. 6; Llama's `LlamaMLP`):
 * `down_proj(silu(gate_proj(x)) ⊙ up_proj(x))`. Shapes: (..., D) → (..., D) through (..., F).
 *
 * @example
 * ```ts
 * const mlp = new SwiGLUMLP(backend, 64, 172, rng);
 * ```
 */
export class SwiGLUMLP extends Module {
  /** Gate projection D → F, passed through SiLU. */
  readonly gate_proj: Linear;
  /** Up projection D → F, multiplied by the gate. */
  readonly up_proj: Linear;
  /** Down projection F → D. */
  readonly down_proj: Linear;

  /** Creates the gate, up and down projections on `backend`, initialised from N(0, `initStd`²) drawn from `rng`. */
  constructor(
    backend: TensorBackend,
    hiddenSize: number,
    intermediateSize: number,
    rng: Random,
    bias = false,
    initStd = 0.02,
  ) {
    super(backend);
    const lin = (i: number, o: number) => new Linear(backend, { inFeatures: i, outFeatures: o, bias, initStd }, rng);
    this.gate_proj = this.registerModule('gate_proj', lin(hiddenSize, intermediateSize));
    this.up_proj = this.registerModule('up_proj', lin(hiddenSize, intermediateSize));
    this.down_proj = this.registerModule('down_proj', lin(intermediateSize, hiddenSize));
  }

  /** `down_proj(silu(gate_proj(x)) ⊙ up_proj(x))`: (..., D) → (..., D). */
  forward(x: Tensor): Tensor {
    return this.down_proj.forward(mul(silu(this.gate_proj.forward(x)), this.up_proj.forward(x)));
  }
}

/**
 * GELU feed-forward (GPT-2): `c_proj(gelu(c_fc(x)))`, tanh-approximated GELU, with biases.
 * Shapes: (..., D) → (..., D) through (..., F).
 *
 * @example
 * ```ts
 * const mlp = new GeluMLP(backend, 768, 3072, rng);
 * ```
 */
export class GeluMLP extends Module {
  /** Expansion D → F (with bias). */
  readonly c_fc: Linear;
  /** Projection F → D (with bias). */
  readonly c_proj: Linear;

  /** Creates the two projections on `backend`, initialised from N(0, `initStd`²) drawn from `rng`. */
  constructor(backend: TensorBackend, hiddenSize: number, intermediateSize: number, rng: Random, initStd = 0.02) {
    super(backend);
    this.c_fc = this.registerModule(
      'c_fc',
      new Linear(backend, { inFeatures: hiddenSize, outFeatures: intermediateSize, initStd }, rng),
    );
    this.c_proj = this.registerModule(
      'c_proj',
      new Linear(backend, { inFeatures: intermediateSize, outFeatures: hiddenSize, initStd }, rng),
    );
  }

  /** `c_proj(gelu(c_fc(x)))`: (..., D) → (..., D). */
  forward(x: Tensor): Tensor {
    return this.c_proj.forward(gelu(this.c_fc.forward(x)));
  }
}
