import { RlhfError } from './rlhf-error.js';

/** What each errno code means, for messages (the codes Node's `fs` gives on Linux, macOS and Windows). */
const ERRNO_MEANING: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EISDIR: 'is a directory, a file was expected',
  EEXIST: 'already exists',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ENOTEMPTY: 'the directory is not empty',
  EBUSY: 'the resource is busy',
  EIO: 'input/output error',
  JSON: 'is not valid JSON',
};

/**
 * A file-system operation failed (`EISDIR`, `ENOENT`, `ENOTDIR`, `ENOSPC`, `EROFS`, `EACCES`, …) or a
 * JSON file we read does not parse. The message names the file, the operation, the stage of the run
 * (`'rlhf sft: saving the model'`, `'pipeline: storing stage sft'`) and the errno code. Stable code:
 * `FILE_SYSTEM_ERROR`.
 *
 * @example
 * ```ts
 * throw new FileSystemError({ path: 'runs/x/logs.jsonl', operation: 'append', stage: 'pipeline', errno: 'ENOSPC' });
 * // Cannot append runs/x/logs.jsonl (pipeline): ENOSPC, no space left on the device.
 * ```
 */
export class FileSystemError extends RlhfError {
  /** The file or directory. */
  readonly path: string;
  /** What was being done (`'read'`, `'write'`, `'create directory'`, `'rename'`, `'parse'`, …). */
  readonly operation: string;
  /** The stage of the run that did it. */
  readonly stage: string;
  /** The errno code (`'ENOSPC'`), `'JSON'` for a file that does not parse, or `null`. */
  readonly errno: string | null;

  /** Builds the error from where it happened (path, operation, stage, errno) and the underlying cause. */
  constructor(
    where: {
      /** The file or directory. */
      path: string;
      /** What was being done. */
      operation: string;
      /** The stage of the run. */
      stage: string;
      /** The errno code, when there is one. */
      errno?: string | null;
      /** Extra detail (the parser's message). */
      detail?: string;
    },
    options?: { cause?: unknown },
  ) {
    const errno = where.errno ?? null;
    const meaning = errno ? (ERRNO_MEANING[errno] ?? 'failed') : 'failed';
    const detail = where.detail ? ` (${where.detail})` : '';
    super(
      'FILE_SYSTEM_ERROR',
      `Cannot ${where.operation} ${where.path} (${where.stage}): ${errno ? `${errno}, ` : ''}${meaning}${detail}.`,
      options,
    );
    this.path = where.path;
    this.operation = where.operation;
    this.stage = where.stage;
    this.errno = errno;
  }

  /**
   * Turns a raw error of a file-system call into a `FileSystemError` (typed errors pass through
   * unchanged): the errno code is taken from the error, the path from the error or from `path`.
   *
   * @example
   * ```ts
   * try { await writeFile(file, bytes); } catch (e) { throw FileSystemError.from(e, file, 'write', 'rlhf sft'); }
   * ```
   */
  static from(error: unknown, path: string, operation: string, stage: string): Error {
    if (RlhfError.isInstance(error)) return error;
    const e = error as { code?: unknown; message?: unknown } | null;
    if (error instanceof SyntaxError)
      return new FileSystemError(
        { path, operation: 'parse', stage, errno: 'JSON', detail: error.message },
        { cause: error },
      );
    const errno = typeof e?.code === 'string' ? e.code : null;
    const detail = errno ? undefined : typeof e?.message === 'string' ? e.message : String(error);
    return new FileSystemError({ path, operation, stage, errno, ...(detail ? { detail } : {}) }, { cause: error });
  }
}

/**
 * Runs one file-system call and rethrows any raw failure as a {@link FileSystemError} naming `path`,
 * `operation` and `stage`.
 *
 * @example
 * ```ts
 * const text = await fsCall(() => readFile(file, 'utf8'), file, 'read', 'rlhf pipeline: reading the config');
 * ```
 */
export async function fsCall<T>(run: () => Promise<T> | T, path: string, operation: string, stage: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw FileSystemError.from(error, path, operation, stage);
  }
}
