import { createSession, type OrtSession } from './direct-session.js';

/** A compiled graph: the onnxruntime session, and anything the caller attaches to it. */
export interface CachedSession<T> {
  readonly session: OrtSession;
  readonly meta: T;
}

/** Per-session choices of {@link SessionCache.get}. */
export interface SessionChoice {
  /** Intra-op threads. */
  readonly threads: number;
  /**
   * Whether the session allocates from onnxruntime's CPU arena. The arena saves page faults on graphs of
   * moderate size but keeps its high-water mark (grown by doubling, fragmented) for the session's
   * lifetime; a graph that writes gigabytes is better served by the system allocator, which returns
   * large blocks (GPT-2 124M step: peak RSS 5.7 → 2.9 GB at the same speed).
   */
  readonly arena: boolean;
  /**
   * Whether the session plans one block per run for all its intermediate values (onnxruntime's memory
   * pattern). That block comes on top of the arena's own: for a graph writing gigabytes it costs more
   * peak memory than it saves (GPT-2 124M step: 5.2 → 3.6 GB without it, as fast).
   */
  readonly memoryPattern: boolean;
}

/** Settings of the sessions the cache creates. */
export interface SessionSettings {
  /** Most sessions kept; the least recently used is released beyond it. */
  readonly capacity: number;
  /** Whether idle intra-op threads spin-wait (onnxruntime's `session.intra_op.allow_spinning`). */
  readonly spinning: boolean;
  /** When set, every session writes onnxruntime's per-kernel profile (JSON) to files with this prefix. */
  readonly profilePrefix?: string;
  /** Run sessions directly on onnxruntime-node's native session (see `createSession`). */
  readonly direct: boolean;
}

/**
 * Compiled onnxruntime sessions by graph key, least recently used evicted (and released) beyond the
 * capacity. Creation is async and de-duplicated: concurrent requests for one key share one session.
 *
 * @example
 * ```ts
 * const cache = new SessionCache<Meta>({ capacity: 64, spinning: false, direct: true });
 * const { session, meta } = await cache.get(plan.key, { threads: 2, arena: true, memoryPattern: true }, () => ({ bytes, meta }));
 * ```
 */
export class SessionCache<T> {
  private readonly entries = new Map<string, Promise<CachedSession<T>>>();
  /** Sessions compiled so far (cache misses). */
  compiled = 0;
  /** Cache hits. */
  hits = 0;

  constructor(private readonly settings: SessionSettings) {}

  /** The session for `key`, compiling `build()`'s model on a miss with the given threads and allocator. */
  get(key: string, choice: SessionChoice, build: () => { bytes: Uint8Array; meta: T }): Promise<CachedSession<T>> {
    const found = this.entries.get(key);
    if (found) {
      this.hits++;
      this.entries.delete(key); // re-insert: most recently used last
      this.entries.set(key, found);
      return found;
    }
    this.compiled++;
    const { bytes, meta } = build();
    const created = createSession(
      bytes,
      {
        intraOpNumThreads: choice.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        enableCpuMemArena: choice.arena,
        enableMemPattern: choice.memoryPattern,
        logSeverityLevel: 3,
        ...(this.settings.profilePrefix
          ? { enableProfiling: true, profileFilePrefix: this.settings.profilePrefix }
          : {}),
        extra: { session: { intra_op: { allow_spinning: this.settings.spinning ? '1' : '0' } } },
      },
      this.settings.direct,
    ).then((session) => ({ session, meta }));
    this.entries.set(key, created);
    created.catch(() => this.entries.delete(key));
    this.evict();
    return created;
  }

  /** Whether `key` has a session (does not count as a use). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Number of cached sessions. */
  get size(): number {
    return this.entries.size;
  }

  /** Releases every session. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const p of all) await p.then((s) => s.session.release()).catch(() => undefined);
  }

  private evict(): void {
    while (this.entries.size > this.settings.capacity) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Promise<CachedSession<T>>];
      this.entries.delete(oldest);
      entry.then((s) => s.session.release()).catch(() => undefined);
    }
  }
}
