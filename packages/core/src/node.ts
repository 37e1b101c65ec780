/**
 * `@rlhf/core/node`: the Node-only parts of core (file system). Browser code never imports this entry.
 *
 * @packageDocumentation
 */
export { FileCheckpointStorage } from './node/file-checkpoint-storage.js';
export { historyFileCallback } from './node/history-file-callback.js';
export { DataFileError, type FileRecords, readRecords } from './node/read-records.js';
