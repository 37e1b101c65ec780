/// <reference types="node" />
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Module } from '@rlhf/core';
import { AdapterError } from '../lora/adapter-error.js';
import type { LoraModel } from '../lora/lora.js';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, adapterFiles, applyAdapterFiles } from '../lora/peft-adapter.js';

/** Options of {@link saveAdapter}. */
export interface SaveAdapterOptions {
  /** `base_model_name_or_path` of `adapter_config.json` (the base model's folder or hub id). @defaultValue '' */
  baseModel?: string;
}

/**
 * Saves LoRA adapters as a PEFT adapter folder: `adapter_config.json` and `adapter_model.safetensors`,
 * loadable by `PeftModel.from_pretrained(base, dir)`. The files are written into a temporary folder beside
 * `dir` and then renamed into place, so a failure leaves no half-written adapter.
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
  const target = resolve(dir);
  await mkdir(dirname(target), { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  try {
    for (const [name, bytes] of files) await writeFile(join(temp, name), bytes);
    if (await isDirectory(target)) {
      for (const name of files.keys()) await rename(join(temp, name), join(target, name));
      await rm(temp, { recursive: true, force: true });
    } else {
      await rename(temp, target);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return [...files.keys()].map((name) => join(target, name));
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
