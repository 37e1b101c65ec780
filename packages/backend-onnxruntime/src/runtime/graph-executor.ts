import type { DType } from '@rlhf/core';
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import ort from 'onnxruntime-node';
import { compilePlan } from '../graph/compile-graph.js';
import { planGraph } from '../graph/graph-plan.js';
import type { OrtBuffer } from '../lazy/ort-buffer.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import { SessionCache } from './session-cache.js';

/** Names to feed and fetch for a cached session (the graph itself is dropped after compilation). */
interface SessionIo {
  readonly feedNames: readonly string[];
  readonly packedNames: Readonly<Partial<Record<DType, string>>>;
  readonly outputNames: readonly string[];
}

/** Settings of a {@link GraphExecutor}. */
export interface ExecutorSettings {
  readonly threads: number;
  readonly sessionCacheSize: number;
  readonly packLimit: number;
  readonly contribOps: boolean;
}

/** Counters of what the executor did (for benchmarks and tests). */
export interface ExecutorStats {
  /** Graphs run. */
  runs: number;
  /** Sessions compiled (graph-cache misses). */
  compiled: number;
  /** Runs that found their session in the cache. */
  cacheHits: number;
  /** Recorded nodes in the last run's graph. */
  lastGraphNodes: number;
  /** Milliseconds spent creating sessions. */
  compileMs: number;
}

/**
 * Runs pending computations. Every live pending buffer is a root: a read computes all of them in one
 * graph (so a whole training step — forward, backward, clipping, AdamW — is one run), caches the
 * compiled session under the graph's structure key, and materialises the roots with its outputs.
 * Runs are serialised; buffers recorded while a run is in flight go to the next one.
 *
 * @example
 * ```ts
 * const exec = new GraphExecutor({ threads: 2, sessionCacheSize: 64, packLimit: 16, contribOps: true });
 * exec.track(pendingBuffer);
 * await exec.materialise(pendingBuffer); // pendingBuffer.data is set
 * ```
 */
export class GraphExecutor {
  private readonly pending = new Set<OrtBuffer>();
  private readonly sessions: SessionCache<SessionIo>;
  private chain: Promise<void> = Promise.resolve();
  readonly stats: ExecutorStats = { runs: 0, compiled: 0, cacheHits: 0, lastGraphNodes: 0, compileMs: 0 };

  constructor(private readonly settings: ExecutorSettings) {
    this.sessions = new SessionCache({ threads: settings.threads, capacity: settings.sessionCacheSize });
  }

  /** Registers a live pending buffer (a root of the next run). */
  track(b: OrtBuffer): void {
    this.pending.add(b);
  }

  /** Forgets a disposed pending buffer: it is computed only if a live buffer needs it. */
  untrack(b: OrtBuffer): void {
    this.pending.delete(b);
  }

  /** Live pending buffers. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Resolves once `b` has its values (or its run failed: `b.error`). */
  async materialise(b: OrtBuffer): Promise<void> {
    while (b.isPending) await this.flush();
  }

  /** Runs everything pending now (after any run in flight). */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.runPending());
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Releases every cached session. */
  release(): Promise<void> {
    return this.sessions.clear();
  }

  private async runPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const roots = [...this.pending];
    this.pending.clear();
    try {
      const plan = planGraph(roots, this.settings.packLimit);
      const compiledBefore = this.sessions.compiled;
      const started = performance.now();
      const { session, meta } = await this.sessions.get(plan.key, () => {
        const c = compilePlan(plan, { contribOps: this.settings.contribOps });
        const io: SessionIo = { feedNames: c.feedNames, packedNames: c.packedNames, outputNames: c.outputNames };
        return { bytes: encodeModel(c.graph, this.settings.contribOps), meta: io };
      });
      if (this.sessions.compiled > compiledBefore) {
        this.stats.compiled++;
        this.stats.compileMs += performance.now() - started;
      } else {
        this.stats.cacheHits++;
      }
      const feeds: Record<string, OrtTensor> = {};
      plan.feeds.forEach((b, i) => {
        feeds[meta.feedNames[i] as string] = feedOf(b);
      });
      for (const dtype of ['float32', 'int32'] as const) {
        const name = meta.packedNames[dtype];
        if (name) feeds[name] = packValues(plan.packed[dtype], dtype);
      }
      const results = await session.run(feeds);
      this.stats.runs++;
      this.stats.lastGraphNodes = plan.nodes.length;
      plan.roots.forEach((root, i) => {
        const t = results[meta.outputNames[i] as string] as OrtTensor;
        root.data = t.data as Float32Array | Int32Array;
        root.feed = t;
        root.source = null;
      });
    } catch (error) {
      for (const r of roots) {
        if (!r.isPending) continue;
        r.error = error;
        r.source = null;
      }
      throw error;
    }
  }
}

/** The onnxruntime tensor over a materialised buffer's values (made once, no copy). */
function feedOf(b: OrtBuffer): OrtTensor {
  if (!b.feed) b.feed = new ort.Tensor(b.dtype, b.data as Float32Array | Int32Array, [...b.shape]);
  return b.feed as OrtTensor;
}

/** The values of small buffers, end to end, as one 1-D tensor. */
function packValues(list: readonly OrtBuffer[], dtype: DType): OrtTensor {
  let total = 0;
  for (const b of list) total += b.size;
  const out = dtype === 'float32' ? new Float32Array(total) : new Int32Array(total);
  let offset = 0;
  for (const b of list) {
    out.set(b.data as Float32Array | Int32Array, offset);
    offset += b.size;
  }
  return new ort.Tensor(dtype, out, [total]);
}
