/**
 * `@rlhf/preference-data/node`: the Node-only part of `@rlhf/preference-data` — reading preference files
 * (a JSON array or JSONL, optionally gzip-compressed), with errors naming the file and line.
 *
 * @packageDocumentation
 */
export {
  type PreferenceFile,
  PreferenceFileError,
  type ReadPreferenceFileOptions,
  readPreferenceFile,
} from './node/read-preference-file.js';
