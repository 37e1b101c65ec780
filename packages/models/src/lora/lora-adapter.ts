import {
  dropout,
  Linear,
  type LinearAdapter,
  type Module,
  mul,
  type Random,
  randomUniform,
  type Tensor,
} from '@rlhf/core';

/**
 * A LoRA adapter (Hu et al. 2021, eq. 3): `Δy = (α/r) · B·A·dropout(x)` with A (r, in) initialised as
 * PEFT does (Kaiming-uniform, bound 1/√in) and B (out, r) zero, so a fresh adapter changes nothing.
 * Shapes: x (..., in) → (..., out).
 */
export class LoraAdapter implements LinearAdapter {
  /** The down projection in → r (Kaiming-uniform initialised). */
  readonly lora_A: Linear;
  /** The up projection r → out (zero initialised). */
  readonly lora_B: Linear;
  readonly modules: Readonly<Record<string, Module>>;
  enabled = true;

  constructor(
    base: Linear,
    /** Rank r of the update. */
    readonly r: number,
    /** Scaling numerator α (the update is scaled by α / r). */
    readonly alpha: number,
    /** Dropout probability on the adapter's input (training mode only). */
    readonly dropoutP: number,
    private readonly rng: Random,
  ) {
    const backend = base.backend;
    const [out, inp] = base.weight.shape as [number, number];
    this.lora_A = new Linear(backend, { inFeatures: inp, outFeatures: r, bias: false }, rng);
    const bound = 1 / Math.sqrt(inp);
    this.lora_A.weight.assign(randomUniform(backend, [r, inp], rng, -bound, bound));
    this.lora_B = new Linear(backend, { inFeatures: r, outFeatures: out, bias: false }, rng);
    this.lora_B.weight.assign(mul(this.lora_B.weight, 0));
    this.modules = { lora_A: this.lora_A, lora_B: this.lora_B };
  }

  /** α / r. */
  get scale(): number {
    return this.alpha / this.r;
  }

  forward(x: Tensor): Tensor {
    const dropped = this.lora_A.training && this.dropoutP > 0 ? dropout(x, this.dropoutP, this.rng) : x;
    return mul(this.lora_B.forward(this.lora_A.forward(dropped)), this.scale);
  }
}
