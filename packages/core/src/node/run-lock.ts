/// <reference types="node" />
import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { FileSystemError } from '../errors/file-system-error.js';
import { RlhfError } from '../errors/rlhf-error.js';

/** The lock file of an output folder. */
export const LOCK_FILE = '.rlhf-lock';

/** An empty or unreadable lock file older than this is taken as left by a process killed while creating it. */
const HALF_WRITTEN_LOCK_MS = 10_000;

/** Who holds a lock (the content of the lock file). */
export interface LockHolder {
  /** Process id. */
  pid: number;
  /** Host name of the machine. */
  host: string;
  /** ISO time the run started. */
  started: string;
  /** The command line or call that holds it. */
  command: string;
}

/**
 * An output folder is in use by another run (the message names the holder: pid, host, start time and
 * command). Stable code: `OUTPUT_LOCKED`.
 *
 * @example
 * ```ts
 * try { acquireRunLock('runs/x', 'rlhf sft'); } catch (e) { if (e instanceof RunLockError) console.log(e.holder?.pid); }
 * ```
 */
export class RunLockError extends RlhfError {
  /** Builds the error from the locked folder and, when readable, the run holding it. */
  constructor(
    /** The locked folder. */
    readonly folder: string,
    /** The holder, when the lock file could be read. */
    readonly holder: LockHolder | null,
  ) {
    const who = holder
      ? `pid ${holder.pid} on host ${holder.host}, started ${holder.started} (${holder.command})`
      : 'a run whose lock file is still being written';
    super(
      'OUTPUT_LOCKED',
      `${folder} is in use by another run: ${who}. Wait for it to finish, or delete ${join(folder, LOCK_FILE)} if that process is gone.`,
    );
  }
}

/** A held lock; `release()` removes the lock file (once). */
export interface RunLock {
  /** The folder it locks. */
  readonly folder: string;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): void;
}

/** Locks held by this process, by absolute folder: nested acquisitions share one lock file. */
const held = new Map<string, { count: number; lock: RunLock }>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      started: String(value.started ?? '?'),
      command: String(value.command ?? '?'),
    };
  } catch {
    return null;
  }
}

/**
 * Whether this process holds the lock of `folder` (an outer call, such as the command line, already
 * validated and locked it).
 *
 * @example
 * ```ts
 * if (!holdsRunLock('runs/x')) validate('runs/x');
 * ```
 */
export function holdsRunLock(folder: string): boolean {
  return held.has(resolve(folder));
}

/** Whether a process id is alive on this host. */
export function processAlive(pid: number): boolean {
  return pid === process.pid || alive(pid);
}

/** Whether a lock file is left by a process that is gone (same host, pid not alive) or half-written long ago. */
function isStale(file: string, holder: LockHolder | null): boolean {
  if (holder) return holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid);
  try {
    return Date.now() - statSync(file).mtimeMs > HALF_WRITTEN_LOCK_MS;
  } catch {
    return true; // gone meanwhile: try again
  }
}

/**
 * Locks an existing output folder for this run: creates `<folder>/.rlhf-lock` atomically (`open` with
 * `wx`, which fails when the file exists) holding the pid, host, start time and `command`. When the file
 * exists, a holder on this host whose pid is no longer alive (a killed run) is stale: its lock is taken
 * over; any other holder makes this throw a {@link RunLockError} naming it. Nested calls for a folder this
 * process already holds share the lock. The lock is also removed when the process exits normally.
 *
 * @example
 * ```ts
 * const lock = acquireRunLock('runs/sft', 'rlhf sft --out runs/sft');
 * try { await train(); } finally { lock.release(); }
 * ```
 */
export function acquireRunLock(folder: string, command: string): RunLock {
  const key = resolve(folder);
  const mine = held.get(key);
  if (mine) {
    mine.count++;
    let released = false;
    return {
      folder,
      release: () => {
        if (released) return;
        released = true;
        mine.lock.release();
      },
    };
  }
  const file = join(folder, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), command };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw FileSystemError.from(error, file, 'create', 'locking the output folder');
      let holder = readHolder(file);
      // A lock created a moment ago may not hold its content yet: read it again for up to 200 ms.
      for (let wait = 0; holder === null && wait < 10 && existsSync(file) && !isStale(file, null); wait++) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        holder = readHolder(file);
      }
      if (attempt < 2 && isStale(file, holder)) {
        try {
          unlinkSync(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
            throw FileSystemError.from(e, file, 'remove a stale lock', 'locking the output folder');
        }
        continue;
      }
      throw new RunLockError(folder, holder);
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } catch (error) {
      closeSync(fd);
      unlinkSync(file);
      throw FileSystemError.from(error, file, 'write', 'locking the output folder');
    }
    closeSync(fd);
    break;
  }
  const onExit = () => removeIfOurs(file, me);
  process.once('exit', onExit);
  const entry = {
    count: 1,
    lock: {
      folder,
      release: () => {
        entry.count--;
        if (entry.count > 0 || !held.has(key)) return;
        held.delete(key);
        process.removeListener('exit', onExit);
        removeIfOurs(file, me);
      },
    },
  };
  held.set(key, entry);
  let released = false;
  return {
    folder,
    release: () => {
      if (released) return;
      released = true;
      entry.lock.release();
    },
  };
}

function removeIfOurs(file: string, me: LockHolder): void {
  const holder = readHolder(file);
  if (holder && holder.pid === me.pid && holder.host === me.host && holder.started === me.started) {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
  }
}
