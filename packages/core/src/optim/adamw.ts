import { InvalidArgumentError } from '../errors/tensor-errors.js';
import { tensor, zerosLike } from '../ops/creation.js';
import { add, div, mul, sqrt, square, sub } from '../ops/elementwise.js';
import { fusedKernelsEnabled } from '../ops/fused.js';
import { wrap } from '../ops/op-utils.js';
import { keep, noGrad, tidy } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';

/** A set of parameters sharing hyper-parameters (weight decay). */
export interface ParamGroup {
  /** The parameters of the group. */
  params: Tensor[];
  /** Decoupled weight decay of this group. @defaultValue the optimizer's */
  weightDecay?: number;
}

/** Options of {@link AdamW}; defaults are PyTorch's. */
export interface AdamWOptions {
  /** @defaultValue 1e-3 */
  lr?: number;
  /** @defaultValue [0.9, 0.999] */
  betas?: [number, number];
  /** @defaultValue 1e-8 */
  eps?: number;
  /** @defaultValue 0.01 */
  weightDecay?: number;
}

/** Host copy of the optimizer state (for checkpoints). */
export interface AdamWState {
  /** Optimizer steps taken ({@link AdamW.stepCount}). */
  step: number;
  /** Per parameter, in group order: first and second moments. */
  moments: {
    /** First moment (running mean of gradients), row-major. */
    m: Float32Array;
    /** Second moment (running mean of squared gradients), row-major. */
    v: Float32Array;
  }[];
}

/**
 * AdamW (Loshchilov & Hutter 2019, Algorithm 2) exactly as `torch.optim.AdamW` computes it:
 * `p ← p·(1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 *  p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + eps)`.
 * Parameters without a gradient are skipped. Uses the backend's fused `adamw` kernel when offered.
 *
 * @example
 * ```ts
 * const opt = new AdamW(decayGroups(model, 0.01), { lr: 3e-4 });
 * loss.backward();
 * opt.step();
 * opt.zeroGrad();
 * ```
 */
export class AdamW {
  /** The parameter groups (one group when built from a plain parameter list). */
  readonly groups: ParamGroup[];
  /** Default learning rate of {@link AdamW.step}; a schedule may overwrite it. */
  lr: number;
  /** β₁ and β₂, the decay rates of the first and second moments. */
  readonly betas: [number, number];
  /** Term added to the denominator for numerical stability. */
  readonly eps: number;
  /** Default decoupled weight decay, for groups that set none. */
  readonly weightDecay: number;
  /** Optimizer steps taken. */
  stepCount = 0;
  private readonly moments = new Map<Tensor, { m: Tensor; v: Tensor }>();

  /** Creates the optimizer over `params` (tensors, or groups with their own options) with its moments at zero. */
  constructor(params: Tensor[] | ParamGroup[], options: AdamWOptions = {}) {
    this.groups = isGroupList(params) ? params : [{ params }];
    this.lr = options.lr ?? 1e-3;
    this.betas = options.betas ?? [0.9, 0.999];
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    if (!(this.lr >= 0)) throw new InvalidArgumentError('AdamW', 'lr', this.lr, 'must be ≥ 0');
  }

  /** Every parameter, in group order. */
  params(): Tensor[] {
    return this.groups.flatMap((g) => g.params);
  }

  /** One update of every parameter that has a gradient, at learning rate `lr` (default: `this.lr`). */
  step(lr = this.lr): void {
    this.stepCount++;
    const [beta1, beta2] = this.betas;
    const t = this.stepCount;
    noGrad(() => {
      for (const group of this.groups) {
        const weightDecay = group.weightDecay ?? this.weightDecay;
        for (const p of group.params) {
          if (!p.grad) continue;
          const g = p.grad;
          const state = this.stateOf(p);
          const kernels = p.backend.fused;
          if (fusedKernelsEnabled() && kernels.adamw) {
            const [np, nm, nv] = kernels.adamw(
              p.buffer('adamw'),
              g.buffer('adamw'),
              state.m.buffer('adamw'),
              state.v.buffer('adamw'),
              {
                lr,
                beta1,
                beta2,
                eps: this.eps,
                weightDecay,
                step: t,
              },
            );
            p.assign(wrap(p.backend, np, p.shape, 'float32'));
            state.m.assign(wrap(p.backend, nm, p.shape, 'float32'));
            state.v.assign(wrap(p.backend, nv, p.shape, 'float32'));
            continue;
          }
          const [np, nm, nv] = tidy(() => {
            const decayed = mul(p, 1 - lr * weightDecay);
            const m = add(mul(state.m, beta1), mul(g, 1 - beta1));
            const v = add(mul(state.v, beta2), mul(square(g), 1 - beta2));
            const denom = add(div(sqrt(v), Math.sqrt(1 - beta2 ** t)), this.eps);
            const updated = sub(decayed, mul(div(m, denom), lr / (1 - beta1 ** t)));
            return [updated, m, v];
          }) as [Tensor, Tensor, Tensor];
          p.assign(np);
          state.m.assign(nm);
          state.v.assign(nv);
        }
      }
    });
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Host copy of the moments and step count. */
  async getState(): Promise<AdamWState> {
    const moments: AdamWState['moments'] = [];
    for (const p of this.params()) {
      const s = this.stateOf(p);
      moments.push({ m: (await s.m.data()) as Float32Array, v: (await s.v.data()) as Float32Array });
    }
    return { step: this.stepCount, moments };
  }

  /** Restores {@link AdamW.getState}'s output (same parameters, same order). */
  setState(state: AdamWState): void {
    const params = this.params();
    if (state.moments.length !== params.length) {
      throw new InvalidArgumentError(
        'AdamW.setState',
        'moments',
        state.moments.length,
        `must hold ${params.length} entries`,
      );
    }
    params.forEach((p, i) => {
      const s = this.stateOf(p);
      const saved = state.moments[i] as { m: Float32Array; v: Float32Array };
      s.m.assign(tensor(p.backend, saved.m, p.shape));
      s.v.assign(tensor(p.backend, saved.v, p.shape));
    });
    this.stepCount = state.step;
  }

  /** Frees the optimizer state. */
  dispose(): void {
    for (const { m, v } of this.moments.values()) {
      m.dispose();
      v.dispose();
    }
    this.moments.clear();
  }

  private stateOf(p: Tensor): { m: Tensor; v: Tensor } {
    let s = this.moments.get(p);
    if (!s) {
      s = { m: keep(zerosLike(p)), v: keep(zerosLike(p)) };
      this.moments.set(p, s);
    }
    return s;
  }
}

function isGroupList(params: Tensor[] | ParamGroup[]): params is ParamGroup[] {
  return params.length > 0 && 'params' in (params[0] as object);
}
