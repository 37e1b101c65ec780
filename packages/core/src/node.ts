/**
 * `@rlhf/core/node`: the Node-only parts of core (file system). Browser code never imports this entry.
 *
 * @packageDocumentation
 */
export { FileCheckpointStorage } from './node/file-checkpoint-storage.js';
export { type HistoryFileOptions, historyFileCallback } from './node/history-file-callback.js';
export { removeOrphanedTemporaries, temporaryName } from './node/orphaned-temporaries.js';
export {
  MANIFEST_FILE,
  type OpenOutputFolderOptions,
  type OutputFolder,
  OutputFolderError,
  type OutputManifest,
  openOutputFolder,
  ResumeMismatchError,
  readOutputManifest,
  withOutputFolder,
} from './node/output-folder.js';
export { DataFileError, type FileRecords, readRecords } from './node/read-records.js';
export {
  acquireRunLock,
  holdsRunLock,
  LOCK_FILE,
  type LockHolder,
  type RunLock,
  RunLockError,
} from './node/run-lock.js';
export { sha256OfFile } from './node/sha256-of-file.js';
