import type { TensorBackend } from '../backend/backend-spec.js';
import { zeros } from '../ops/creation.js';
import { add, mul } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import type { Random } from '../random/random.js';
import { randomNormal } from '../random/random-tensors.js';
import { noGrad, tidy } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { type AdapterMerge, Module } from './module.js';

/** Options of {@link Linear}. */
export interface LinearConfig {
  /** Size of the last axis of the input. */
  inFeatures: number;
  /** Size of the last axis of the output. */
  outFeatures: number;
  /** Add a bias. @defaultValue true */
  bias?: boolean;
  /** Std of the normal initialisation (Hugging Face's `initializer_range`). @defaultValue 0.02 */
  initStd?: number;
}

/**
 * An additive adapter on a {@link Linear} layer (LoRA and relatives): when enabled, its output is added to
 * the layer's. Its modules are registered under the layer by name (so LoRA's parameters read
 * `q_proj.lora_A.weight`, as in PEFT).
 */
export interface LinearAdapter {
  /** Sub-modules to register under the layer, by name. */
  readonly modules: Readonly<Record<string, Module>>;
  /** Whether the adapter contributes (false runs the base layer alone). */
  enabled: boolean;
  /** The adapter's contribution for input x (..., in) → (..., out). */
  forward(x: Tensor): Tensor;
  /**
   * The weight update ΔW (out, in) that the adapter's contribution equals (`forward(x) = x·ΔWᵀ` with
   * dropout off), a new tensor; merging it into the layer's weight gives the same function.
   */
  delta(): Tensor;
  /**
   * A new adapter of the same structure on `backend` (its parameter values are then copied by name), so
   * that copying an adapted model can attach adapters to the copy.
   */
  clone?(backend: TensorBackend): LinearAdapter;
}

/**
 * `y = x·Wᵀ + b` with `weight` (out, in) and `bias` (out), as PyTorch's `nn.Linear`.
 * Shapes: x (..., in) → (..., out).
 *
 * @example
 * ```ts
 * const proj = new Linear(backend, { inFeatures: 64, outFeatures: 64, bias: false }, rng);
 * const y = proj.forward(x);
 * ```
 */
export class Linear extends Module {
  /** The weight matrix (out, in). */
  readonly weight: Tensor;
  /** The bias (out), or `null` when built with `bias: false`. */
  readonly bias: Tensor | null;

  /** Creates the weight (and bias) on `backend` from `config`, initialised from `rng`. */
  constructor(
    backend: TensorBackend,
    /** The layer's sizes and initialisation. */
    readonly config: LinearConfig,
    rng: Random,
  ) {
    super(backend);
    this.weight = this.registerParameter(
      'weight',
      randomNormal(backend, [config.outFeatures, config.inFeatures], rng, 0, config.initStd ?? 0.02),
    );
    this.bias = config.bias === false ? null : this.registerParameter('bias', zeros(backend, [config.outFeatures]));
  }

  /** The attached adapter, if any. */
  adapter: LinearAdapter | null = null;

  /** Attaches an adapter (replacing any previous one), or removes it with `null`. */
  setAdapter(adapter: LinearAdapter | null): void {
    if (this.adapter) for (const name of Object.keys(this.adapter.modules)) this.unregisterModule(name);
    this.adapter = adapter;
    if (adapter) for (const [name, m] of Object.entries(adapter.modules)) this.registerModule(name, m);
  }

  /** With an adapter attached: its module names and `W + ΔW` (out, in) (`W` alone while it is disabled). */
  override adapterMerge(): AdapterMerge | null {
    const adapter = this.adapter;
    if (!adapter) return null;
    return {
      adapterModules: Object.keys(adapter.modules),
      weight: () =>
        noGrad(() => tidy(() => (adapter.enabled ? add(this.weight, adapter.delta()) : mul(this.weight, 1)))),
    };
  }

  /** `x·Wᵀ + b`, plus the adapter's output when one is attached and enabled: (..., in) → (..., out). */
  forward(x: Tensor): Tensor {
    let y = matmul(x, this.weight, false, true); // (..., in)·(out, in)ᵀ → (..., out)
    if (this.bias) y = add(y, this.bias);
    return this.adapter?.enabled ? add(y, this.adapter.forward(x)) : y;
  }
}
