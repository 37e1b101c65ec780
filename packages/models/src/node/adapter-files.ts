/// <reference types="node" />
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Module } from '@rlhf/core';
import { AdapterError } from '../lora/adapter-error.js';
import type { LoraModel } from '../lora/lora.js';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, adapterFiles, applyAdapterFiles } from '../lora/peft-adapter.js';
import { writeFolderFiles } from './write-hf-directory.js';

/** Options of {@link saveAdapter}. */
export interface SaveAdapterOptions {
  /** `base_model_name_or_path` of `adapter_config.json` (the base model's folder or hub id). @defaultValue '' */
  baseModel?: string;
}

/**
 * Saves LoRA adapters as a PEFT adapter folder: `adapter_config.json` and `adapter_model.safetensors`,
 * loadable by `PeftModel.from_pretrained(base, dir)`. The files are written as `writeHfDirectory` writes a
 * model (a temporary folder inside `dir`, then one rename each), so a failure or a kill leaves no
 * half-written adapter, and file-system failures are `FileSystemError`s naming the path.
 *
 * @returns the paths written
 *
 * @example
 * ```ts
 * const lora = applyLora(model, { r: 8, target_modules: ['q_proj', 'v_proj'] }, rng);
 * // ... train ...
 * await saveAdapter(lora, 'runs/sft-adapter', { baseModel: 'models/stories260K' });
 * ```
 */
export async function saveAdapter(lora: LoraModel, dir: string, options: SaveAdapterOptions = {}): Promise<string[]> {
  const files = await adapterFiles(lora, options.baseModel ?? '');
  return writeFolderFiles(dir, files, 'saving the adapter');
}

/**
 * Loads a PEFT LoRA adapter folder (`adapter_config.json` + `adapter_model.safetensors`, written by PEFT or
 * {@link saveAdapter}) onto `model` and returns the handle; see `applyAdapterFiles` for what is checked.
 * Errors ({@link AdapterError}, `LoraError`, `SafetensorsError`) name the file.
 *
 * @example
 * ```ts
 * const model = await loadModel('models/stories260K');
 * const lora = await loadAdapter(model, 'runs/sft-adapter');
 * ```
 */
export async function loadAdapter(model: Module, dir: string): Promise<LoraModel> {
  if (!(await isDirectory(dir))) throw new AdapterError(dir, 'is not a folder (expected a PEFT adapter folder)');
  const files = new Map<string, Uint8Array>();
  for (const name of [ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE]) {
    const path = join(dir, name);
    try {
      files.set(name, await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new AdapterError(
        path,
        code === 'ENOENT'
          ? 'is missing (a PEFT adapter folder holds adapter_config.json and adapter_model.safetensors)'
          : `cannot be read (${code ?? (error as Error).message})`,
        { cause: error },
      );
    }
  }
  return applyAdapterFiles(model, files, dir);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
