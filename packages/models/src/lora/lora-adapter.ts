import {
  dropout,
  Linear,
  type LinearAdapter,
  type Module,
  matmul,
  mul,
  Random,
  randomUniform,
  type Tensor,
  type TensorBackend,
} from '@rlhf/core';

/**
 * A LoRA adapter (Hu et al. 2021, eq. 3): `Δy = s · B·A·dropout(x)` with A (r, in) initialised as PEFT
 * does (Kaiming-uniform, bound 1/√in) and B (out, r) zero, so a fresh adapter changes nothing. The scale
 * s is PEFT's `lora_alpha / r`, or `lora_alpha / √r` with rsLoRA (Kalajdzievski 2023). The shapes of A and B
 * are PEFT's whatever the base layer's weight layout (`nn.Linear` (out, in) or GPT-2's `Conv1D` (in, out)).
 * Shapes: x (..., in) → (..., out).
 */
export class LoraAdapter implements LinearAdapter {
  /** The down projection in → r: `lora_A.weight` (r, in), Kaiming-uniform initialised. */
  readonly lora_A: Linear;
  /** The up projection r → out: `lora_B.weight` (out, r), zero initialised. */
  readonly lora_B: Linear;
  readonly modules: Readonly<Record<string, Module>>;
  enabled = true;

  /** Creates the A and B matrices for a layer of the given widths (A from `rng`, B zero, so the adapter starts as a no-op). */
  constructor(
    backend: TensorBackend,
    /** Input width of the adapted layer. */
    readonly inFeatures: number,
    /** Output width of the adapted layer. */
    readonly outFeatures: number,
    /** Rank r of the update. */
    readonly r: number,
    /** Scaling numerator α. */
    readonly alpha: number,
    /** Dropout probability on the adapter's input (training mode only). */
    readonly dropoutP: number,
    private readonly rng: Random,
    /** rsLoRA: scale α/√r instead of α/r (PEFT's `use_rslora`). */
    readonly useRslora = false,
  ) {
    this.lora_A = new Linear(backend, { inFeatures, outFeatures: r, bias: false }, rng);
    const bound = 1 / Math.sqrt(inFeatures);
    this.lora_A.weight.assign(randomUniform(backend, [r, inFeatures], rng, -bound, bound));
    this.lora_B = new Linear(backend, { inFeatures: r, outFeatures, bias: false }, rng);
    this.lora_B.weight.assign(mul(this.lora_B.weight, 0));
    this.modules = { lora_A: this.lora_A, lora_B: this.lora_B };
  }

  /** The scale s: α / r (PEFT's `scaling`), or α / √r with rsLoRA. */
  get scale(): number {
    return this.useRslora ? this.alpha / Math.sqrt(this.r) : this.alpha / this.r;
  }

  forward(x: Tensor): Tensor {
    const dropped = this.lora_A.training && this.dropoutP > 0 ? dropout(x, this.dropoutP, this.rng) : x;
    return mul(this.lora_B.forward(this.lora_A.forward(dropped)), this.scale);
  }

  /** A new adapter of the same sizes, rank, scale and dropout on `backend` (values: copy them by name). */
  clone(backend: TensorBackend): LoraAdapter {
    return new LoraAdapter(
      backend,
      this.inFeatures,
      this.outFeatures,
      this.r,
      this.alpha,
      this.dropoutP,
      new Random(0), // a copy's own stream: cloning must not advance the trained adapter's dropout stream
      this.useRslora,
    );
  }

  /** ΔW = s · B·A: (out, r)·(r, in) → (out, in). */
  delta(): Tensor {
    return mul(matmul(this.lora_B.weight, this.lora_A.weight), this.scale);
  }
}
