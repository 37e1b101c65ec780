/**
 * `@rlhf/models/node`: the Node-only parts of `@rlhf/models` — loading and saving models and tokenizers
 * as Hugging Face directories.
 *
 * @packageDocumentation
 */
export { loadAdapter, type SaveAdapterOptions, saveAdapter } from './node/adapter-files.js';
export { loadModel, readHfDirectory, saveModel } from './node/load-model.js';
export { loadTokenizer } from './node/load-tokenizer.js';
export { readJsonFile } from './node/read-json-file.js';
export { type WriteHfDirectoryOptions, writeHfDirectory } from './node/write-hf-directory.js';
