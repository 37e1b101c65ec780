import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackendChoice, RlhfError, toBackend } from '@rlhf/core';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import type { CausalLM } from '../pretrained/causal-lm.js';
import { modelFromContent } from '../pretrained/pretrained-io.js';
import { parseSafetensors } from '../safetensors/parse-safetensors.js';

/**
 * A file of a model directory is missing or unreadable. Names the file.
 *
 * @example
 * ```ts
 * throw new ModelFileError('/models/x/config.json', 'is missing');
 * ```
 */
export class ModelFileError extends RlhfError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super('MODEL_FILE', `${file} ${reason}.`);
  }
}

async function readOptional(path: string): Promise<Uint8Array | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ModelFileError(path, `cannot be read (${(error as Error).message})`);
  }
}

async function readJson(path: string, required: boolean): Promise<Record<string, unknown> | undefined> {
  const bytes = await readOptional(path);
  if (!bytes) {
    if (required) throw new ModelFileError(path, 'is missing');
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ModelFileError(path, `is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads a Hugging Face model directory (`config.json`, `model.safetensors`, and when present
 * `tokenizer.json`, `tokenizer_config.json`, `generation_config.json`) into plain content, validating
 * every file (errors name the file).
 *
 * @example
 * ```ts
 * const content = await readHfDirectory('models/stories260K');
 * ```
 */
export async function readHfDirectory(dir: string): Promise<HfDirectoryContent> {
  const config = (await readJson(join(dir, 'config.json'), true)) as Record<string, unknown>;
  const weightsPath = join(dir, 'model.safetensors');
  const weights = await readOptional(weightsPath);
  if (!weights) throw new ModelFileError(weightsPath, 'is missing');
  const { tensors } = parseSafetensors(weights, weightsPath);
  const tokenizerJson = await readJson(join(dir, 'tokenizer.json'), false);
  const tokenizerConfig = await readJson(join(dir, 'tokenizer_config.json'), false);
  const generationConfig = await readJson(join(dir, 'generation_config.json'), false);
  return {
    config,
    tensors,
    ...(tokenizerJson ? { tokenizerJson } : {}),
    ...(tokenizerConfig ? { tokenizerConfig } : {}),
    ...(generationConfig ? { generationConfig } : {}),
  };
}

/**
 * Loads a causal LM from a Hugging Face model directory onto a backend (an object or a name; default:
 * the fastest installed). The tokenizer, when the directory has one, is `model.tokenizer`.
 *
 * @example
 * ```ts
 * const model = await loadModel('models/stories260K', { backend: 'js' });
 * const ids = model.tokenizer?.encode('Once upon a time');
 * ```
 */
export async function loadModel(dir: string, options: { backend?: BackendChoice } = {}): Promise<CausalLM> {
  const content = await readHfDirectory(dir);
  return modelFromContent(content, await toBackend(options.backend));
}
