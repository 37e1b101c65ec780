import { type Module, Random, RlhfError } from '@rlhf/core';
import { Conv1D } from '../gpt2/gpt2-model.js';
import { parseSafetensors } from '../safetensors/parse-safetensors.js';
import { serializeSafetensors } from '../safetensors/serialize-safetensors.js';
import { AdapterError } from './adapter-error.js';
import {
  adaptedLayers,
  applyLora,
  checkAdapterTensors,
  expectedAdapterShapes,
  type LoraModel,
  planLora,
} from './lora.js';
import { type ResolvedLoraConfig, resolveLoraConfig } from './lora-config.js';

/** PEFT's file names in an adapter folder (`peft.utils.constants`: CONFIG_NAME, SAFETENSORS_WEIGHTS_NAME). */
export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
/** The adapter's tensors, PEFT's names without the adapter name (`...q_proj.lora_A.weight`). */
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

/** An `adapter_config.json` checked and reduced to what this library applies. */
export interface PeftAdapterConfig extends ResolvedLoraConfig {
  /** The base model the adapter was trained on (informative; any model of the right shapes loads it). */
  base_model_name_or_path: string;
  /** Whether the adapted layers store their weights (in, out) — GPT-2's Conv1D. */
  fan_in_fan_out: boolean;
}

const encoder = new TextEncoder();

/**
 * The two files of a PEFT adapter folder for `lora`: `adapter_config.json` (PEFT's `LoraConfig` keys,
 * `peft_type: "LORA"`, `task_type: "CAUSAL_LM"`) and `adapter_model.safetensors` (`lora_A.weight` (r, in),
 * `lora_B.weight` (out, r) under `base_model.model.<layer>`).
 *
 * @example
 * ```ts
 * const files = await adapterFiles(lora, 'models/stories260K');
 * files.get('adapter_config.json'); // UTF-8 JSON bytes
 * ```
 */
export async function adapterFiles(lora: LoraModel, baseModel = ''): Promise<Map<string, Uint8Array>> {
  return new Map([
    [ADAPTER_CONFIG_FILE, encoder.encode(`${JSON.stringify(lora.adapterConfig(baseModel), null, 2)}\n`)],
    [ADAPTER_WEIGHTS_FILE, serializeSafetensors(await lora.adapterTensors(), { format: 'pt' })],
  ]);
}

const isAbsent = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

/**
 * Checks the content of an `adapter_config.json` and returns the LoRA configuration it describes. PEFT
 * features this library does not apply (DoRA, LoRA biases, per-layer ranks, `modules_to_save`, layer
 * selection, a regular-expression `target_modules`) are refused rather than ignored. Throws
 * {@link AdapterError} naming `file` and the key.
 *
 * @example
 * ```ts
 * const config = parseAdapterConfig(JSON.parse(text), 'out/adapter/adapter_config.json');
 * ```
 */
export function parseAdapterConfig(value: unknown, file = ADAPTER_CONFIG_FILE): PeftAdapterConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AdapterError(file, 'must hold a JSON object (PEFT LoraConfig)');
  const c = value as Record<string, unknown>;
  if (c.peft_type !== 'LORA')
    throw new AdapterError(file, `'peft_type' must be "LORA" (got ${JSON.stringify(c.peft_type)})`);
  if (c.task_type !== undefined && c.task_type !== null && c.task_type !== 'CAUSAL_LM')
    throw new AdapterError(file, `'task_type' must be "CAUSAL_LM" (got ${JSON.stringify(c.task_type)})`);
  if (c.bias !== undefined && c.bias !== 'none')
    throw new AdapterError(file, `'bias' ${JSON.stringify(c.bias)} is not supported (only "none")`);
  if (c.use_dora === true) throw new AdapterError(file, "'use_dora' true (DoRA) is not supported");
  if (typeof c.target_modules === 'string')
    throw new AdapterError(
      file,
      `'target_modules' as a regular expression (${JSON.stringify(c.target_modules)}) is not supported: list the layer names`,
    );
  for (const key of ['modules_to_save', 'layers_to_transform', 'rank_pattern', 'alpha_pattern'] as const) {
    if (!isAbsent(c[key]))
      throw new AdapterError(file, `'${key}' ${JSON.stringify(c[key])} is not supported (expected null or empty)`);
  }
  if (c.fan_in_fan_out !== undefined && typeof c.fan_in_fan_out !== 'boolean')
    throw new AdapterError(file, `'fan_in_fan_out' must be true or false (got ${JSON.stringify(c.fan_in_fan_out)})`);
  if (
    c.base_model_name_or_path !== undefined &&
    c.base_model_name_or_path !== null &&
    typeof c.base_model_name_or_path !== 'string'
  )
    throw new AdapterError(
      file,
      `'base_model_name_or_path' must be a string (got ${JSON.stringify(c.base_model_name_or_path)})`,
    );
  let lora: ResolvedLoraConfig;
  try {
    lora = resolveLoraConfig({
      ...(c.r === undefined ? {} : { r: c.r as number }),
      ...(c.lora_alpha === undefined ? {} : { lora_alpha: c.lora_alpha as number }),
      ...(c.lora_dropout === undefined ? {} : { lora_dropout: c.lora_dropout as number }),
      ...(c.target_modules === undefined || c.target_modules === null
        ? {}
        : { target_modules: c.target_modules as string[] }),
      ...(c.use_rslora === undefined ? {} : { use_rslora: c.use_rslora as boolean }),
    });
  } catch (error) {
    if (RlhfError.isInstance(error)) throw new AdapterError(file, error.message.replace(/\.$/, ''), { cause: error });
    throw error;
  }
  if (c.target_modules === undefined || c.target_modules === null)
    throw new AdapterError(file, "'target_modules' is missing (list the adapted layer names)");
  return {
    ...lora,
    base_model_name_or_path: (c.base_model_name_or_path as string | undefined) ?? '',
    fan_in_fan_out: c.fan_in_fan_out === true,
  };
}

/**
 * Attaches a PEFT LoRA adapter, given as the bytes of its two files, to `model` and returns the handle
 * (base frozen, adapters trainable, as after {@link applyLora}). Everything is checked before the model
 * changes: the config (`adapter_config.json`), that each target names layers of this model and that
 * their weight layout matches `fan_in_fan_out` (an adapter for another architecture), that the model has
 * no adapters yet, and every tensor name and shape in both directions. Errors name `dir`'s file.
 *
 * @example
 * ```ts
 * const lora = applyAdapterFiles(model, new Map([['adapter_config.json', cfg], ['adapter_model.safetensors', st]]), 'out/adapter');
 * ```
 */
export function applyAdapterFiles(model: Module, files: ReadonlyMap<string, Uint8Array>, dir = '.'): LoraModel {
  const configPath = `${dir}/${ADAPTER_CONFIG_FILE}`;
  const weightsPath = `${dir}/${ADAPTER_WEIGHTS_FILE}`;
  const configBytes = files.get(ADAPTER_CONFIG_FILE);
  if (!configBytes) throw new AdapterError(configPath, 'is missing (a PEFT adapter folder holds adapter_config.json)');
  const weightsBytes = files.get(ADAPTER_WEIGHTS_FILE);
  if (!weightsBytes)
    throw new AdapterError(weightsPath, 'is missing (a PEFT adapter folder holds adapter_model.safetensors)');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(configBytes));
  } catch (error) {
    throw new AdapterError(configPath, `is not valid UTF-8 JSON (${(error as Error).message})`, { cause: error });
  }
  const config = parseAdapterConfig(json, configPath);
  if (adaptedLayers(model).size > 0)
    throw new AdapterError(dir, 'cannot be applied: the model already has LoRA adapters (merge them first)');
  let layers: ReturnType<typeof planLora>;
  try {
    layers = planLora(model, config);
  } catch (error) {
    if (RlhfError.isInstance(error))
      throw new AdapterError(configPath, `does not fit this model: ${error.message.replace(/\.$/, '')}`, {
        cause: error,
      });
    throw error;
  }
  for (const [name, layer] of layers) {
    const transposed = layer instanceof Conv1D;
    if (transposed !== config.fan_in_fan_out)
      throw new AdapterError(
        configPath,
        `'fan_in_fan_out' is ${config.fan_in_fan_out}, but layer '${name}' of this model stores its weight ${transposed ? '(in, out) (GPT-2 Conv1D)' : '(out, in) (Linear)'}: the adapter was made for another architecture`,
      );
  }
  const { tensors } = parseSafetensors(weightsBytes, weightsPath);
  checkAdapterTensors(expectedAdapterShapes(layers, config.r), tensors, weightsPath);
  const { r, lora_alpha, lora_dropout, target_modules, use_rslora } = config;
  const lora = applyLora(model, { r, lora_alpha, lora_dropout, target_modules, use_rslora }, new Random(0));
  lora.loadAdapterTensors(tensors, weightsPath);
  // PEFT loads for inference: adapter dropout off until a trainer puts the model in training mode.
  for (const layer of lora.layers.values()) for (const m of Object.values(layer.adapter?.modules ?? {})) m.eval();
  return lora;
}
