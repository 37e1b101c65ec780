import { ModelFileError } from '../errors/model-file-error.js';
import { checkConfigAgainstWeights, checkModelConfig } from '../pretrained/model-config-check.js';
import { parseSafetensorsHeader } from '../safetensors/parse-header.js';
import { parseSafetensors } from '../safetensors/parse-safetensors.js';
import type { HfDirectoryContent } from './hf-directory-content.js';

/**
 * The files of a Hugging Face model directory, already read: the JSON files parsed, the weights as bytes.
 *
 * @example
 * ```ts
 * const files: HfDirectoryFiles = { config: JSON.parse(configText), weights: new Uint8Array(buffer) };
 * ```
 */
export interface HfDirectoryFiles {
  /** `config.json`, parsed. */
  config: unknown;
  /** `model.safetensors`, as bytes. */
  weights: Uint8Array;
  /** `tokenizer.json`, parsed, when present. */
  tokenizerJson?: unknown;
  /** `tokenizer_config.json`, parsed, when present. */
  tokenizerConfig?: unknown;
  /** `generation_config.json`, parsed, when present. */
  generationConfig?: unknown;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFileError('MODEL_FILE_INVALID_JSON', path, `${path} does not hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}

/**
 * Turns the files of a model directory into its content, checking `config.json` alone and against the
 * safetensors header's tensor shapes before any tensor is decoded (see `checkModelConfig`,
 * `checkConfigAgainstWeights`). Errors name the files under `dir`. Browser-safe: reading the files is the
 * caller's part (`readHfDirectory` in Node).
 *
 * @example
 * ```ts
 * const content = contentFromFiles({ config, weights }, 'models/x');
 * ```
 */
export function contentFromFiles(files: HfDirectoryFiles, dir = '.'): HfDirectoryContent {
  const at = (name: string) => `${dir.replace(/\/+$/, '')}/${name}`;
  const configPath = at('config.json');
  const weightsPath = at('model.safetensors');
  const config = object(files.config, configPath);
  checkModelConfig(config, configPath);
  // The shapes the config implies against the header, before any tensor is decoded (or model allocated).
  checkConfigAgainstWeights(config, parseSafetensorsHeader(files.weights, weightsPath).entries, {
    config: configPath,
    weights: weightsPath,
  });
  const { tensors } = parseSafetensors(files.weights, weightsPath);
  const optional = (value: unknown, name: string) => (value === undefined ? undefined : object(value, at(name)));
  const tokenizerJson = optional(files.tokenizerJson, 'tokenizer.json');
  const tokenizerConfig = optional(files.tokenizerConfig, 'tokenizer_config.json');
  const generationConfig = optional(files.generationConfig, 'generation_config.json');
  return {
    config,
    tensors,
    ...(tokenizerJson ? { tokenizerJson } : {}),
    ...(tokenizerConfig ? { tokenizerConfig } : {}),
    ...(generationConfig ? { generationConfig } : {}),
    source: dir,
  };
}
