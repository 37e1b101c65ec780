import { add, Linear, type Module, matmul, mul, noGrad, type Random, tidy, transpose } from '@rlhf/core';
import { Conv1D } from '../gpt2/gpt2-model.js';
import type { HostTensor } from '../pretrained/weights.js';
import { LoraAdapter } from './lora-adapter.js';
import { type LoraConfig, LoraError, type ResolvedLoraConfig, resolveLoraConfig } from './lora-config.js';

/** PEFT's prefix of adapter tensor names in `adapter_model.safetensors` (the adapter name is not saved). */
export const PEFT_PREFIX = 'base_model.model.';

/** A layer LoRA can adapt: a {@link Linear} (weight (out, in)) or GPT-2's {@link Conv1D} (weight (in, out)). */
export type LoraTargetLayer = Linear | Conv1D;

/** What to do when {@link applyLora} finds adapters already attached to the model. */
export interface ApplyLoraOptions {
  /**
   * `'error'` (the default): refuse with {@link LoraError}; `'merge'`: merge the attached adapters into
   * their base weights first (the model keeps computing the same function), then attach the new ones.
   */
  existingAdapters?: 'error' | 'merge';
}

/** Input and output widths of a target layer, whatever its weight layout. */
function widthsOf(layer: LoraTargetLayer): { inFeatures: number; outFeatures: number } {
  return layer instanceof Conv1D
    ? { inFeatures: layer.inFeatures, outFeatures: layer.outFeatures }
    : { inFeatures: layer.config.inFeatures, outFeatures: layer.config.outFeatures };
}

/** Whether PEFT would store this layer's weight transposed (`fan_in_fan_out`: GPT-2's Conv1D). */
function isFanInFanOut(layer: LoraTargetLayer): boolean {
  return layer instanceof Conv1D;
}

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
  /** Wraps a model whose adapters `applyLora` attached; use `applyLora` rather than this. */
  constructor(
    /** The adapted model (its base parameters frozen). */
    readonly model: Module,
    /** The LoRA configuration with defaults filled in. */
    readonly config: ResolvedLoraConfig,
    /** Adapted layers by dotted module name. */
    readonly layers: ReadonlyMap<string, LoraTargetLayer>,
  ) {}

  /** Number of trainable (adapter) parameter elements. */
  trainableParameters(): number {
    return this.model.parameterCount(true);
  }

  /** Whether the adapted layers store their weights (in, out) — GPT-2's Conv1D, PEFT's `fan_in_fan_out`. */
  get fanInFanOut(): boolean {
    return [...this.layers.values()].some(isFanInFanOut);
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
   * Merges each adapter into its base weight, `W ← W + s·B·A` ((out, in); for a Conv1D, whose weight is
   * (in, out), `W ← W + (s·B·A)ᵀ`), removes the adapters and unfreezes nothing (the model is then a plain
   * model with frozen base weights; call `setRequiresGrad(true)` to train it fully).
   */
  merge(): void {
    noGrad(() => {
      for (const layer of this.layers.values()) {
        const adapter = layer.adapter as LoraAdapter | null;
        if (!adapter) continue;
        const merged = tidy(() => {
          const delta = mul(matmul(adapter.lora_B.weight, adapter.lora_A.weight), adapter.scale); // (out, in)
          return add(layer.weight, isFanInFanOut(layer) ? transpose(delta) : delta);
        });
        layer.weight.assign(merged);
        layer.setAdapter(null);
        adapter.lora_A.dispose();
        adapter.lora_B.dispose();
      }
    });
  }

  /** The adapter tensors with PEFT's names (`base_model.model.<layer>.lora_A.weight` (r, in), `lora_B.weight` (out, r)). */
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

  /** PEFT's `adapter_config.json` content (`LoraConfig` keys). */
  adapterConfig(baseModel = ''): Record<string, unknown> {
    return {
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      base_model_name_or_path: baseModel,
      r: this.config.r,
      lora_alpha: this.config.lora_alpha,
      lora_dropout: this.config.lora_dropout,
      use_rslora: this.config.use_rslora,
      target_modules: [...this.config.target_modules],
      bias: 'none',
      fan_in_fan_out: this.fanInFanOut,
      inference_mode: true,
      init_lora_weights: true,
      modules_to_save: null,
      layers_to_transform: null,
      layers_pattern: null,
      rank_pattern: {},
      alpha_pattern: {},
      use_dora: false,
      revision: null,
    };
  }

  /**
   * Loads adapter tensors saved by {@link LoraModel.adapterTensors} (or by PEFT). Every name and shape is
   * checked, in both directions, before anything changes; errors name `file` and the tensor.
   */
  loadAdapterTensors(tensors: ReadonlyMap<string, HostTensor>, file = 'adapter_model.safetensors'): void {
    checkAdapterTensors(expectedAdapterShapes(this.layers, this.config.r), tensors, file);
    for (const [name, layer] of this.layers) {
      const adapter = layer.adapter as LoraAdapter;
      for (const part of ['lora_A', 'lora_B'] as const) {
        const t = tensors.get(`${PEFT_PREFIX}${name}.${part}.weight`) as HostTensor;
        adapter[part].loadStateDict(new Map([['weight', t]]));
      }
    }
  }
}

/** The PEFT names and shapes of the adapter tensors for `layers` at rank `r`: A (r, in), B (out, r). */
export function expectedAdapterShapes(
  layers: ReadonlyMap<string, LoraTargetLayer>,
  r: number,
): Map<string, readonly number[]> {
  const out = new Map<string, readonly number[]>();
  for (const [name, layer] of layers) {
    const { inFeatures, outFeatures } = widthsOf(layer);
    out.set(`${PEFT_PREFIX}${name}.lora_A.weight`, [r, inFeatures]);
    out.set(`${PEFT_PREFIX}${name}.lora_B.weight`, [outFeatures, r]);
  }
  return out;
}

/** Throws {@link LoraError} naming `file` and the tensor when `tensors` differ from `expected` in any name or shape. */
export function checkAdapterTensors(
  expected: ReadonlyMap<string, readonly number[]>,
  tensors: ReadonlyMap<string, HostTensor>,
  file: string,
): void {
  for (const [name, shape] of expected) {
    const t = tensors.get(name);
    if (!t) throw new LoraError(name, `is missing from ${file}`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      throw new LoraError(
        name,
        `in ${file} has shape [${t.shape.join(', ')}] but this model and adapter config imply [${shape.join(', ')}]`,
      );
  }
  for (const name of tensors.keys()) {
    if (!expected.has(name))
      throw new LoraError(name, `in ${file} is not a LoRA tensor of this model's target layers (or the adapter's r)`);
  }
}

/** Whether a layer matches a `target_modules` entry as PEFT matches a list: equal, or ending in `.entry`. */
function matchesTarget(name: string, target: string): boolean {
  return name === target || name.endsWith(`.${target}`);
}

/**
 * The layers `config` would adapt, checked without changing the model: every `target_modules` entry must
 * match at least one {@link Linear} or {@link Conv1D}. Throws {@link LoraError} naming the entry.
 *
 * @example
 * ```ts
 * const layers = planLora(model, resolveLoraConfig({ target_modules: ['c_attn'] }));
 * ```
 */
export function planLora(model: Module, config: ResolvedLoraConfig): Map<string, LoraTargetLayer> {
  const layers = new Map<string, LoraTargetLayer>();
  const matched = new Set<string>();
  const modules = [...model.namedModules()];
  const isAdapterPart = (name: string) => name.split('.').some((part) => part === 'lora_A' || part === 'lora_B');
  // In the model's module order (so adapters are created, and their initial values drawn, layer by layer).
  for (const [name, m] of modules) {
    if (!name || isAdapterPart(name)) continue;
    const targets = config.target_modules.filter((target) => matchesTarget(name, target));
    if (targets.length === 0) continue;
    if (!(m instanceof Linear || m instanceof Conv1D)) {
      throw new LoraError(
        'target_modules',
        `entry '${targets[0]}' names '${name}', which is not a linear layer (LoRA adapts Linear and GPT-2 Conv1D layers)`,
      );
    }
    for (const target of targets) matched.add(target);
    layers.set(name, m);
  }
  const missing = config.target_modules.find((target) => !matched.has(target));
  if (missing !== undefined) {
    const known = [
      ...new Set(
        modules
          .filter(([n, m]) => n && (m instanceof Linear || m instanceof Conv1D) && !isAdapterPart(n))
          .map(([n]) => n.split('.').pop()),
      ),
    ];
    throw new LoraError(
      'target_modules',
      `entry '${missing}' matched no linear layer of this model (its linear layers: ${known.join(', ')})`,
    );
  }
  return layers;
}

/** The layers of `model` that carry a LoRA adapter, by dotted name. */
export function adaptedLayers(model: Module): Map<string, LoraTargetLayer> {
  const out = new Map<string, LoraTargetLayer>();
  for (const [name, m] of model.namedModules()) {
    if ((m instanceof Linear || m instanceof Conv1D) && m.adapter instanceof LoraAdapter) out.set(name, m);
  }
  return out;
}

/**
 * A handle on the LoRA adapters already attached to `model` (to save or merge them), or `null` when it
 * has none. Throws {@link LoraError} when the adapters differ in rank or scale (one config cannot describe them).
 *
 * @example
 * ```ts
 * const lora = attachedLora(model);
 * if (lora) await saveAdapter(lora, 'out/adapter');
 * ```
 */
export function attachedLora(model: Module): LoraModel | null {
  const layers = adaptedLayers(model);
  const first = [...layers.values()][0]?.adapter as LoraAdapter | undefined;
  if (!first) return null;
  const targets = new Set<string>();
  for (const [name, layer] of layers) {
    const a = layer.adapter as LoraAdapter;
    if (a.r !== first.r || a.alpha !== first.alpha || a.useRslora !== first.useRslora)
      throw new LoraError(
        name,
        `has an adapter of r ${a.r}, alpha ${a.alpha}; the others have r ${first.r}, alpha ${first.alpha}`,
      );
    targets.add(name.split('.').pop() as string);
  }
  const config: ResolvedLoraConfig = {
    r: first.r,
    lora_alpha: first.alpha,
    lora_dropout: first.dropoutP,
    target_modules: [...targets],
    use_rslora: first.useRslora,
  };
  return new LoraModel(model, config, layers);
}

/**
 * Attaches LoRA adapters to every {@link Linear} or GPT-2 {@link Conv1D} named by `target_modules`,
 * freezes all other parameters and returns the handle. Everything is validated first — the options, every
 * `target_modules` entry (each must name a linear layer), and adapters already attached (refused unless
 * `existingAdapters: 'merge'`) — so an error ({@link LoraError}) leaves the model unchanged.
 *
 * @example
 * ```ts
 * const lora = applyLora(model, { r: 4, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] }, new Random(0));
 * ```
 */
export function applyLora(model: Module, config: LoraConfig, rng: Random, options: ApplyLoraOptions = {}): LoraModel {
  const resolved = resolveLoraConfig(config);
  const existingMode = options.existingAdapters ?? 'error';
  if (existingMode !== 'error' && existingMode !== 'merge')
    throw new LoraError('existingAdapters', `must be 'error' or 'merge' (got ${JSON.stringify(existingMode)})`);
  const existing = adaptedLayers(model);
  if (existing.size > 0 && existingMode === 'error') {
    throw new LoraError(
      'model',
      `already has LoRA adapters (on ${[...existing.keys()][0]} and ${existing.size - 1} more layers): merge them first, or pass existingAdapters: 'merge'`,
    );
  }
  const layers = planLora(model, resolved);
  if (existing.size > 0) attachedLora(model)?.merge();
  model.setRequiresGrad(false);
  for (const layer of layers.values()) {
    const { inFeatures, outFeatures } = widthsOf(layer);
    layer.setAdapter(
      new LoraAdapter(
        model.backend,
        inFeatures,
        outFeatures,
        resolved.r,
        resolved.lora_alpha,
        resolved.lora_dropout,
        rng,
        resolved.use_rslora,
      ),
    );
  }
  return new LoraModel(model, resolved, layers);
}
