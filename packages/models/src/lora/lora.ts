import { add, Linear, type Module, matmul, mul, noGrad, type Random, tidy } from '@rlhf/core';
import type { HostTensor } from '../pretrained/weights.js';
import { LoraAdapter } from './lora-adapter.js';
import { type LoraConfig, LoraError, type ResolvedLoraConfig, resolveLoraConfig } from './lora-config.js';

/** PEFT's prefix of adapter tensor names in `adapter_model.safetensors`. */
const PEFT_PREFIX = 'base_model.model.';

/**
 * LoRA adapters attached to a model's linear layers (PEFT's `get_peft_model` for `LoraConfig`): base
 * parameters are frozen, only adapter parameters train. Adapters can be switched off (the base model —
 * DPO's reference for free), merged into the base weights, and saved/loaded in PEFT's layout.
 *
 * @example
 * ```ts
 * const lora = applyLora(model, { r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] }, rng);
 * console.log(lora.trainableParameters(), model.parameterCount());
 * const refLogits = lora.withAdaptersDisabled(() => model.forward(ids).logits);
 * ```
 */
export class LoraModel {
  constructor(
    /** The adapted model (its base parameters frozen). */
    readonly model: Module,
    /** The LoRA configuration with defaults filled in. */
    readonly config: ResolvedLoraConfig,
    /** Adapted layers by dotted module name. */
    readonly layers: ReadonlyMap<string, Linear>,
  ) {}

  /** Number of trainable (adapter) parameter elements. */
  trainableParameters(): number {
    return this.model.parameterCount(true);
  }

  /** Turns every adapter on or off. */
  setAdaptersEnabled(enabled: boolean): void {
    for (const layer of this.layers.values()) if (layer.adapter) layer.adapter.enabled = enabled;
  }

  /** Runs `fn` with adapters off (the base model), then restores them. */
  withAdaptersDisabled<T>(fn: () => T): T {
    this.setAdaptersEnabled(false);
    try {
      return fn();
    } finally {
      this.setAdaptersEnabled(true);
    }
  }

  /**
   * Merges each adapter into its base weight, `W ← W + (α/r)·B·A`, removes the adapters and unfreezes
   * nothing (the model is then a plain model with frozen base weights; call `setRequiresGrad(true)` to
   * train it fully).
   */
  merge(): void {
    noGrad(() => {
      for (const layer of this.layers.values()) {
        const adapter = layer.adapter as LoraAdapter | null;
        if (!adapter) continue;
        const merged = tidy(() =>
          add(layer.weight, mul(matmul(adapter.lora_B.weight, adapter.lora_A.weight), adapter.scale)),
        );
        layer.weight.assign(merged);
        layer.setAdapter(null);
        adapter.lora_A.dispose();
        adapter.lora_B.dispose();
      }
    });
  }

  /** The adapter tensors with PEFT's names (`base_model.model.<layer>.lora_A.weight`). */
  async adapterTensors(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const [name, layer] of this.layers) {
      const adapter = layer.adapter as LoraAdapter | null;
      if (!adapter) continue;
      for (const part of ['lora_A', 'lora_B'] as const) {
        const w = adapter[part].weight;
        out.set(`${PEFT_PREFIX}${name}.${part}.weight`, {
          shape: [...w.shape],
          data: (await w.data()) as Float32Array,
        });
      }
    }
    return out;
  }

  /** PEFT's `adapter_config.json` content. */
  adapterConfig(baseModel = ''): Record<string, unknown> {
    return {
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      base_model_name_or_path: baseModel,
      r: this.config.r,
      lora_alpha: this.config.lora_alpha,
      lora_dropout: this.config.lora_dropout,
      target_modules: this.config.target_modules,
      bias: 'none',
      fan_in_fan_out: false,
      inference_mode: true,
    };
  }

  /** Loads adapter tensors saved by {@link LoraModel.adapterTensors} (or by PEFT), checking names and shapes. */
  loadAdapterTensors(tensors: ReadonlyMap<string, HostTensor>, file = 'adapter_model.safetensors'): void {
    const state = new Map<string, HostTensor>();
    for (const [name, t] of tensors) state.set(name.startsWith(PEFT_PREFIX) ? name.slice(PEFT_PREFIX.length) : name, t);
    for (const [name, layer] of this.layers) {
      const adapter = layer.adapter as LoraAdapter;
      for (const part of ['lora_A', 'lora_B'] as const) {
        const key = `${name}.${part}.weight`;
        const t = state.get(key);
        if (!t) throw new LoraError(key, `is missing from ${file}`);
        adapter[part].loadStateDict(new Map([['weight', t]]));
      }
    }
  }
}

/**
 * Attaches LoRA adapters to every {@link Linear} whose last name segment is in `target_modules`, freezes
 * all other parameters and returns the handle. Throws {@link LoraError} when no layer matches.
 *
 * @example
 * ```ts
 * const lora = applyLora(model, { r: 4, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] }, new Random(0));
 * ```
 */
export function applyLora(model: Module, config: LoraConfig, rng: Random): LoraModel {
  const resolved = resolveLoraConfig(config);
  model.setRequiresGrad(false);
  const layers = new Map<string, Linear>();
  for (const [name, m] of model.namedModules()) {
    const last = name.split('.').pop() ?? '';
    if (m instanceof Linear && resolved.target_modules.includes(last)) layers.set(name, m);
  }
  if (layers.size === 0)
    throw new LoraError('target_modules', `(${resolved.target_modules.join(', ')}) matched no linear layer`);
  for (const layer of layers.values()) {
    layer.setAdapter(new LoraAdapter(layer, resolved.r, resolved.lora_alpha, resolved.lora_dropout, rng));
  }
  return new LoraModel(model, resolved, layers);
}
