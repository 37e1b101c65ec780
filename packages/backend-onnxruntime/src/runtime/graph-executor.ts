import type { DType } from '@rlhf/core';
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import ort from 'onnxruntime-node';
import { compilePlan } from '../graph/compile-graph.js';
import { planGraph } from '../graph/graph-plan.js';
import type { OrtBuffer } from '../lazy/ort-buffer.js';
import { SHAPE_PARAMS_INPUT } from '../onnx/graph-builder.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import { SessionCache } from './session-cache.js';

/** Names to feed and fetch for a cached session (the graph itself is dropped after compilation). */
interface SessionIo {
  readonly feedNames: readonly string[];
  readonly packedNames: Readonly<Partial<Record<DType, string>>>;
  readonly outputNames: readonly string[];
}

/**
 * Graphs writing fewer elements than this run on one thread: handing tiny kernels to a pool costs more
 * than it saves (and every session owns its pool).
 */
const SMALL_WORK = 1 << 17;

/** Settings of a {@link GraphExecutor}. */
export interface ExecutorSettings {
  readonly threads: number;
  readonly sessionCacheSize: number;
  /** Pack rank-0 inputs into one vector per dtype. */
  readonly packScalars: boolean;
  readonly contribOps: boolean;
  /** Whether idle pool threads spin-wait. */
  readonly spinning: boolean;
  /** Prefix of onnxruntime profile files (profiling off when absent). */
  readonly profilePrefix?: string;
}

/**
 * Counters of what the executor did (for benchmarks and tests).
 *
 * @example
 * ```ts
 * const { runs, compiled, cacheHits } = backend.stats(); // after 5 training steps: 5, 1, 4
 * ```
 */
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
  /** Runs of dynamic-shape graphs (a structure met again with other shapes). */
  dynamicRuns: number;
  /** Milliseconds spent planning runs (walking the pending graph, building its key), all runs. */
  planMs: number;
  /** Milliseconds spent in onnxruntime's `run` (kernels, plus copies in and out), all runs. */
  runMs: number;
}

/**
 * Runs pending computations. Every live pending buffer is a root: a read computes all of them in one
 * graph (so a whole training step — forward, backward, clipping, AdamW — is one run), caches the
 * compiled session under the graph's structure key, and materialises the roots with its outputs.
 * Runs are serialised; buffers recorded while a run is in flight go to the next one.
 *
 * @example
 * ```ts
 * const exec = new GraphExecutor({ threads: 2, sessionCacheSize: 64, packScalars: true, contribOps: true, spinning: false });
 * exec.track(pendingBuffer);
 * await exec.materialise(pendingBuffer); // pendingBuffer.data is set
 * ```
 */
export class GraphExecutor {
  private readonly pending = new Set<OrtBuffer>();
  private readonly sessions: SessionCache<SessionIo>;
  private chain: Promise<void> = Promise.resolve();
  readonly stats: ExecutorStats = {
    runs: 0,
    compiled: 0,
    cacheHits: 0,
    lastGraphNodes: 0,
    compileMs: 0,
    dynamicRuns: 0,
    planMs: 0,
    runMs: 0,
  };
  /** Structures (dynamic keys) already compiled as static graphs. */
  private readonly staticStructures = new Set<string>();

  constructor(private readonly settings: ExecutorSettings) {
    this.sessions = new SessionCache({
      capacity: settings.sessionCacheSize,
      spinning: settings.spinning,
      ...(settings.profilePrefix ? { profilePrefix: settings.profilePrefix } : {}),
    });
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

  /**
   * Static or dynamic shapes for a plan: a structure is compiled with static shapes the first time (the
   * fastest graph, for the fixed shapes of a training loop); met again with other shapes (generation with
   * a growing cache, batches of varying length), it gets one dynamic-shape graph that serves them all.
   */
  private isDynamic(plan: { key: string; dynamicKey: string }): boolean {
    if (this.sessions.has(plan.key)) return false;
    if (this.sessions.has(`D:${plan.dynamicKey}`) || this.staticStructures.has(plan.dynamicKey)) return true;
    if (this.staticStructures.size >= 4 * this.settings.sessionCacheSize) this.staticStructures.clear();
    this.staticStructures.add(plan.dynamicKey);
    return false;
  }

  private async runPending(): Promise<void> {
    if (this.pending.size === 0) return;
    const roots = [...this.pending];
    this.pending.clear();
    const feeds: Record<string, OrtTensor> = {};
    try {
      const planStart = performance.now();
      const plan = planGraph(roots, this.settings.packScalars);
      this.stats.planMs += performance.now() - planStart;
      const dynamic = this.isDynamic(plan);
      const contribOps = this.settings.contribOps;
      const compiledBefore = this.sessions.compiled;
      const started = performance.now();
      let shapeParams: readonly number[] | null = null;
      const threads = plan.work < SMALL_WORK ? 1 : this.settings.threads;
      const { session, meta } = await this.sessions.get(dynamic ? `D:${plan.dynamicKey}` : plan.key, threads, () => {
        const c = compilePlan(plan, { contribOps, dynamic });
        shapeParams = c.shapeParams;
        const io: SessionIo = { feedNames: c.feedNames, packedNames: c.packedNames, outputNames: c.outputNames };
        return { bytes: encodeModel(c.graph, contribOps), meta: io };
      });
      if (this.sessions.compiled > compiledBefore) {
        this.stats.compiled++;
        this.stats.compileMs += performance.now() - started;
      } else {
        this.stats.cacheHits++;
      }
      if (dynamic) {
        this.stats.dynamicRuns++;
        // A cached dynamic session: emit again (cheap, no compilation) to learn this run's shape values.
        const params = shapeParams ?? compilePlan(plan, { contribOps, dynamic }).shapeParams;
        if (params.length > 0) {
          feeds[SHAPE_PARAMS_INPUT] = new ort.Tensor(
            'int64',
            BigInt64Array.from(params, (v) => BigInt(v)),
            [params.length],
          );
        }
      }
      plan.feeds.forEach((b, i) => {
        feeds[meta.feedNames[i] as string] = feedOf(b);
      });
      for (const dtype of ['float32', 'int32'] as const) {
        const name = meta.packedNames[dtype];
        if (name) feeds[name] = packValues(plan.packed[dtype], dtype);
      }
      const runStart = performance.now();
      const results = await session.run(feeds);
      this.stats.runMs += performance.now() - runStart;
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
