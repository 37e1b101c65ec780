import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BackendChoice, toBackend } from '@rlhf/core';
import { ModelFileError } from '../errors/model-file-error.js';
import { contentFromFiles } from '../hf/content-from-files.js';
import type { HfDirectoryContent } from '../hf/hf-directory-content.js';
import type { CausalLM } from '../pretrained/causal-lm.js';
import { contentOfModel, modelFromContent } from '../pretrained/pretrained-io.js';
import { readJsonFile } from './read-json-file.js';
import { writeHfDirectory } from './write-hf-directory.js';

/**
 * Reads a Hugging Face model directory (`config.json`, `model.safetensors`, and when present
 * `tokenizer.json`, `tokenizer_config.json`, `generation_config.json`) into plain content, validating
 * every file (errors name the file); `config.json` is checked against the weights' header before any
 * tensor is decoded (see `contentFromFiles`).
 *
 * @example
 * ```ts
 * const content = await readHfDirectory('models/stories260K');
 * ```
 */
export async function readHfDirectory(dir: string): Promise<HfDirectoryContent> {
  const config = await readJsonFile(join(dir, 'config.json'), 'to build the model');
  const weightsPath = join(dir, 'model.safetensors');
  let weights: Uint8Array;
  try {
    weights = await readFile(weightsPath);
  } catch (error) {
    throw new ModelFileError(
      'MODEL_FILE_MISSING',
      weightsPath,
      `Missing file ${weightsPath}: it holds the model's weights.`,
      { cause: error },
    );
  }
  const tokenizerJson = await readJsonFile(join(dir, 'tokenizer.json'), '', { optional: true });
  const tokenizerConfig = await readJsonFile(join(dir, 'tokenizer_config.json'), '', { optional: true });
  const generationConfig = await readJsonFile(join(dir, 'generation_config.json'), '', { optional: true });
  return contentFromFiles({ config, weights, tokenizerJson, tokenizerConfig, generationConfig }, dir);
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

/**
 * Saves a causal LM as a Hugging Face model directory (written aside, then renamed into place, so a
 * failure never leaves a half-written model).
 *
 * @example
 * ```ts
 * await saveModel(model, 'out/sft');
 * ```
 */
export async function saveModel(model: CausalLM, dir: string): Promise<void> {
  await writeHfDirectory(dir, await contentOfModel(model));
}
