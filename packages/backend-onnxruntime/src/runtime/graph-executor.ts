import { type DType, shapesEqual, type TensorData } from '@rlhf/core';
import type { Tensor as OrtTensor } from 'onnxruntime-node';
import ort from 'onnxruntime-node';
import { compilePlan } from '../graph/compile-graph.js';
import { type GraphPlan, planGraph } from '../graph/graph-plan.js';
import { DataUsers } from '../lazy/data-users.js';
import { OrtBuffer, type PendingNode } from '../lazy/ort-buffer.js';
import { SHAPE_PARAMS_INPUT } from '../onnx/graph-builder.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import type { OrtSession } from './direct-session.js';
import { hostAdamw } from './host-adamw.js';
import { type OrtReplayCapture, sameValues } from './replay-capture.js';
import { type CachedSession, SessionCache, type SessionChoice } from './session-cache.js';
import { applyShift, type ShiftSource } from './window-shift.js';

/** Names to feed and fetch for a cached session (the graph itself is dropped after compilation). */
interface SessionIo {
  readonly feedNames: readonly string[];
  readonly packedNames: Readonly<Partial<Record<DType, string>>>;
  readonly outputNames: readonly string[];
}

/**
 * Graphs writing fewer elements than this, or none of whose kernels writes {@link SMALL_KERNEL} elements,
 * run on one thread: handing tiny kernels to a pool costs more than it saves (and every session owns its
 * pool). A decoding step of stories260K over a 256-slot window writes 2.7e5 elements in 193 kernels of
 * at most 8,192: 0.44–0.50 ms a run on one thread, 0.54–0.55 ms on two.
 */
const SMALL_WORK = 1 << 17;
const SMALL_KERNEL = 1 << 15;

/** Replays of one capture after which it runs as a session with its constants compiled in. */
const BAKE_AFTER = 48;

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
  /**
   * Run `adamw` nodes on the host, in one pass and in place where no live buffer still holds the old
   * values, after the graph that computes their gradients (instead of as ONNX nodes).
   */
  readonly hostOptimizer: boolean;
  /** Graphs writing more elements than this allocate with the system allocator, not onnxruntime's arena. */
  readonly arenaMaxElements: number;
  /** Graphs writing more elements than this run without onnxruntime's memory pattern. */
  readonly memoryPatternMaxElements: number;
  /** Run sessions directly on onnxruntime-node's native session, where it is usable. */
  readonly directSessions: boolean;
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
  /** Milliseconds spent in host-side optimizer updates, all runs. */
  hostMs: number;
  /** Host optimizer outputs written in place over their old values (no new array). */
  inPlaceUpdates: number;
  /** Sessions compiled to allocate with the system allocator instead of onnxruntime's arena (large graphs). */
  systemAllocatorSessions: number;
  /** Sessions compiled without onnxruntime's memory pattern (see `memoryPatternMaxElements`). */
  noMemoryPatternSessions: number;
  /** Captured computations run again on new inputs (`replay` nodes), without recording their kernels. */
  replays: number;
}

/**
 * Runs pending computations. Every live pending buffer is a root: a read computes all of them in one
 * graph (so a whole training step — forward, backward, clipping, AdamW — is one run), caches the
 * compiled session under the graph's structure key, and materialises the roots with its outputs.
 * Runs are serialised; buffers recorded while a run is in flight go to the next one.
 *
 * @example
 * ```ts
 * const exec = new GraphExecutor({ threads: 2, sessionCacheSize: 64, packScalars: true, contribOps: true, spinning: false, hostOptimizer: true, arenaMaxElements: Infinity, memoryPatternMaxElements: 2 ** 29, directSessions: true });
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
    hostMs: 0,
    inPlaceUpdates: 0,
    systemAllocatorSessions: 0,
    noMemoryPatternSessions: 0,
    replays: 0,
  };
  /** Live holders of every host array (for in-place optimizer updates). */
  readonly users = new DataUsers();
  /** Sessions of replayed captures with their constants compiled in (see `bakedSessionFor`). */
  private readonly bakedSessions: SessionCache<{ io: SessionIo; temporaries: TensorData[] }>;
  /** Structures (dynamic keys) already compiled as static graphs. */
  private readonly staticStructures = new Set<string>();

  constructor(private readonly settings: ExecutorSettings) {
    const cacheSettings = {
      spinning: settings.spinning,
      direct: settings.directSessions,
      ...(settings.profilePrefix ? { profilePrefix: settings.profilePrefix } : {}),
    };
    this.sessions = new SessionCache({ capacity: settings.sessionCacheSize, ...cacheSettings });
    // Each holds a copy of a model's weights (up to 64 MiB): a few, for the models generating now.
    this.bakedSessions = new SessionCache({ capacity: 4, ...cacheSettings });
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
  async release(): Promise<void> {
    await this.bakedSessions.clear();
    await this.sessions.clear();
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

  /**
   * Computes every pending buffer, in stages: a graph computes whatever does not depend on a pending
   * host-side node (and the inputs of the host nodes that are ready), then those host nodes run, and so
   * on until nothing is pending — one stage plus the optimizer for a training step.
   */
  private async runPending(): Promise<void> {
    for (const r of this.pending) if (!r.isPending) this.pending.delete(r);
    while (this.pending.size > 0) {
      const roots = [...this.pending];
      const { graphRoots, hostNodes } = splitStage(roots, this.settings.hostOptimizer);
      try {
        if (graphRoots.length > 0) await this.runGraph(graphRoots);
        const updates = hostNodes.filter((n) => n.op.kind === 'adamw');
        if (updates.length > 0) this.runHostNodes(updates);
        for (const node of hostNodes) if (node.op.kind === 'replay') await this.runReplay(node);
      } catch (error) {
        for (const r of roots) {
          this.pending.delete(r);
          if (!r.isPending) continue;
          r.error = error;
          r.source = null;
        }
        throw error;
      }
      if (graphRoots.length === 0 && hostNodes.length === 0) {
        throw new Error(`internal: ${roots.length} pending buffers but nothing computable`);
      }
    }
  }

  /** Threads and allocator of a plan's session (see {@link SMALL_WORK} and `arenaMaxElements`). */
  private choiceFor(plan: GraphPlan): SessionChoice {
    return {
      threads: plan.work < SMALL_WORK || plan.largest < SMALL_KERNEL ? 1 : this.settings.threads,
      arena: plan.work <= this.settings.arenaMaxElements,
      memoryPattern: plan.work <= this.settings.memoryPatternMaxElements,
    };
  }

  /**
   * The session of a plan, from the cache or compiled (static, or dynamic-shape: then also the shape
   * values when it was compiled now), counted in the stats.
   */
  private async sessionFor(
    plan: GraphPlan,
    dynamic: boolean,
  ): Promise<{ session: OrtSession; meta: SessionIo; shapeParams: readonly number[] | null }> {
    const contribOps = this.settings.contribOps;
    let shapeParams: readonly number[] | null = null;
    const key = dynamic ? `D:${plan.dynamicKey}` : plan.key;
    const { session, meta } = await this.counted(this.sessions, key, this.choiceFor(plan), () => {
      const c = compilePlan(plan, { contribOps, dynamic });
      shapeParams = c.shapeParams;
      const io: SessionIo = { feedNames: c.feedNames, packedNames: c.packedNames, outputNames: c.outputNames };
      return { bytes: encodeModel(c.graph, contribOps), meta: io };
    });
    return { session, meta, shapeParams };
  }

  /** `cache.get`, counted in the stats (compilations, their time and allocator, or a cache hit). */
  private async counted<T>(
    cache: SessionCache<T>,
    key: string,
    choice: SessionChoice,
    build: () => { bytes: Uint8Array; meta: T },
  ): Promise<CachedSession<T>> {
    const compiledBefore = cache.compiled;
    const started = performance.now();
    const found = await cache.get(key, choice, build);
    if (cache.compiled > compiledBefore) {
      this.stats.compiled++;
      if (!choice.arena) this.stats.systemAllocatorSessions++;
      if (!choice.memoryPattern) this.stats.noMemoryPatternSessions++;
      this.stats.compileMs += performance.now() - started;
    } else {
      this.stats.cacheHits++;
    }
    return found;
  }

  /**
   * Runs a session with `fed` as the plan's fed buffers (the plan's own, or a replay's inputs in their
   * places), the plan's packed scalars and any `extra` feeds, and materialises `outputs` (one per root).
   */
  private async runSession(
    session: OrtSession,
    meta: SessionIo,
    plan: GraphPlan,
    fed: readonly (OrtBuffer | null)[],
    extra: Record<string, OrtTensor>,
    outputs: readonly (OrtBuffer | null)[],
  ): Promise<OrtTensor[]> {
    const feeds = extra;
    fed.forEach((b, i) => {
      if (b) feeds[meta.feedNames[i] as string] = feedOf(b);
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
    return outputs.map((out, i) => {
      const t = results[meta.outputNames[i] as string] as OrtTensor;
      if (out) this.adopt(out, t.data as TensorData, t);
      return t;
    });
  }

  /** Gives a computed buffer its values (and the onnxruntime tensor over them, if any, to feed later runs). */
  private adopt(out: OrtBuffer, data: TensorData, feed: OrtTensor | null): void {
    out.data = data;
    out.feed = feed;
    out.source = null;
    if (!out.disposed) this.users.add(data);
  }

  /**
   * The session of a capture with its constants compiled in (see `OrtReplayCapture.bakedKey`), or null
   * (constants too large, or a cached session whose compiled-in values differ: a hash collision).
   */
  private async bakedSessionFor(capture: OrtReplayCapture): Promise<{ session: OrtSession; meta: SessionIo } | null> {
    const key = capture.bakedKey();
    // Compiling one costs ~10–20 ms for stories260K: worth it once a capture has run BAKE_AFTER times (a
    // GRPO rollout of 32 tokens with weights new every step never gets there), or when one exists already.
    if (key === null || (capture.replays < BAKE_AFTER && !this.bakedSessions.has(key))) return null;
    const plan = capture.shifted.plan;
    const { session, meta } = await this.counted(this.bakedSessions, key, this.choiceFor(plan), () => {
      const inputNames = new Map<OrtBuffer, string>();
      plan.feeds.forEach((b, i) => {
        if ((capture.feedInputs[i] as number) >= 0) inputNames.set(b, `input${i}`);
      });
      const c = compilePlan(plan, { contribOps: this.settings.contribOps, inputNames });
      return {
        bytes: encodeModel(c.graph, this.settings.contribOps),
        meta: {
          io: { feedNames: c.feedNames, packedNames: c.packedNames, outputNames: c.outputNames },
          temporaries: capture.temporaries(),
        },
      };
    });
    // A capture's constants never change: compared with the session's once (per cached session).
    if (capture.bakedChecked?.meta !== meta) {
      const temporaries = capture.temporaries();
      const same =
        meta.temporaries.length === temporaries.length &&
        meta.temporaries.every((t, i) => sameValues(t, temporaries[i] as TensorData));
      capture.bakedChecked = { meta, same };
    }
    return capture.bakedChecked.same ? { session, meta: meta.io } : null;
  }

  /** Runs a `replay` node: its capture's session on the node's inputs (and the capture's constants). */
  private async runReplay(node: PendingNode): Promise<void> {
    const capture = (node.op as { kind: 'replay'; capture: OrtReplayCapture }).capture;
    capture.replays++;
    const { plan, direct, shifts } = capture.shifted;
    // With the constants compiled in, only the inputs are fed.
    const baked = await this.bakedSessionFor(capture);
    const { session, meta } = baked ?? (await this.sessionFor(plan, false));
    const fed = plan.feeds.map((b, i) => {
      const k = capture.feedInputs[i] as number;
      if (k < 0) return baked ? null : b;
      const input = node.inputs[k] as OrtBuffer;
      // A captured view of the input (a reshape): the new input's values in the view's shape.
      return input.size === b.size && !shapesEqual(input.shape, b.shape)
        ? OrtBuffer.materialised(input.owner, input.data as TensorData, b.shape, b.dtype, false)
        : input;
    });
    const results = await this.runSession(
      session,
      meta,
      plan,
      fed,
      {},
      plan.roots.map((_, r) => (r < direct.length ? (node.outputs[direct[r] as number] as OrtBuffer) : null)),
    );
    for (const out of node.outputs) this.pending.delete(out);
    if (shifts.some((s) => s !== null)) this.writeShiftedWindows(node, shifts, results);
    this.stats.replays++;
  }

  /**
   * Builds a replay's window outputs from the old windows (its inputs) and the new rows the session
   * returned, over an old window's array when nothing can read it any more (see `window-shift.ts`).
   */
  private writeShiftedWindows(
    node: PendingNode,
    shifts: readonly (ShiftSource | null)[],
    results: readonly OrtTensor[],
  ): void {
    const stillRead = this.pending.size > 0 ? inputsReachableFrom([...this.pending]) : new Set<OrtBuffer>();
    // An array shifted for two outputs is written over by neither.
    const windows = shifts.map((shift) => (shift ? (node.inputs[shift.input] as OrtBuffer).data : null));
    shifts.forEach((shift, j) => {
      if (shift === null) return;
      const out = node.outputs[j] as OrtBuffer;
      const input = node.inputs[shift.input] as OrtBuffer;
      const window = input.data as TensorData;
      const free =
        input.disposed &&
        windows.indexOf(window) === windows.lastIndexOf(window) &&
        this.users.isFree(window) &&
        !stillRead.has(input);
      const data = free ? window : (new (window.constructor as Float32ArrayConstructor)(window.length) as TensorData);
      applyShift(window, (results[shift.root] as OrtTensor).data as TensorData, shift.offset, out.shape, shift, data);
      if (free) this.stats.inPlaceUpdates++;
      // In place, the old window's onnxruntime tensor (same array, same shape) feeds the new one.
      const feed = free && shapesEqual(input.shape, out.shape) ? (input.feed as OrtTensor | null) : null;
      if (free) input.feed = null;
      this.adopt(out, data, feed);
    });
  }

  /** Runs the ready host nodes (`adamw`), writing over an old array when nothing can read it any more. */
  private runHostNodes(nodes: readonly PendingNode[]): void {
    const started = performance.now();
    // Buffers that a node still to be computed reads: their arrays must survive this stage.
    const stageOutputs = new Set(nodes.flatMap((n) => n.outputs));
    const later = [...this.pending].filter((b) => !stageOutputs.has(b));
    const stillRead = later.length > 0 ? inputsReachableFrom(later) : new Set<OrtBuffer>();
    for (const node of nodes) {
      const [p, g, m, v, k] = node.inputs.map((b) => b.data as Float32Array) as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const reuse = (i: number): Float32Array => {
        const input = node.inputs[i] as OrtBuffer;
        const data = input.data as Float32Array;
        if (input.disposed && this.users.isFree(data) && !stillRead.has(input)) {
          this.stats.inPlaceUpdates++;
          return data;
        }
        return new Float32Array(data.length);
      };
      const outs = [reuse(0), reuse(2), reuse(3)] as const;
      hostAdamw(k, p, g, m, v, outs[0], outs[1], outs[2]);
      node.outputs.forEach((out, i) => {
        this.adopt(out, outs[i] as Float32Array, null);
        this.pending.delete(out);
      });
    }
    this.stats.hostMs += performance.now() - started;
  }

  /** Runs one ONNX graph computing `roots` (none may depend on a pending host node). */
  private async runGraph(roots: readonly OrtBuffer[]): Promise<void> {
    for (const r of roots) this.pending.delete(r);
    const feeds: Record<string, OrtTensor> = {};
    try {
      const planStart = performance.now();
      const plan = planGraph(roots, this.settings.packScalars);
      this.stats.planMs += performance.now() - planStart;
      const dynamic = this.isDynamic(plan);
      const contribOps = this.settings.contribOps;
      const { session, meta, shapeParams } = await this.sessionFor(plan, dynamic);
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
      await this.runSession(session, meta, plan, plan.feeds, feeds, plan.roots);
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

/** Whether a node runs on the host rather than in the ONNX graph. */
function isHostNode(node: PendingNode, hostOptimizer: boolean): boolean {
  return node.op.kind === 'replay' || (hostOptimizer && node.op.kind === 'adamw');
}

/**
 * One stage of a run: the roots that depend on no pending host node, plus the pending inputs of the host
 * nodes whose own inputs depend on none (`graphRoots`, one ONNX graph), and those host nodes.
 */
function splitStage(
  roots: readonly OrtBuffer[],
  hostOptimizer: boolean,
): { graphRoots: OrtBuffer[]; hostNodes: PendingNode[] } {
  const dependsOnHost = new Map<PendingNode, boolean>();
  const hostNodes = new Set<PendingNode>();
  // Iterative post-order over pending nodes (graphs of a training step are thousands of nodes deep).
  const visit = (start: PendingNode): boolean => {
    const stack: [PendingNode, boolean][] = [[start, false]];
    while (stack.length > 0) {
      const [node, expanded] = stack.pop() as [PendingNode, boolean];
      if (dependsOnHost.has(node)) continue;
      if (expanded) {
        const inputsDepend = node.inputs.some((b) => b.source !== null && dependsOnHost.get(b.source.node) === true);
        const host = isHostNode(node, hostOptimizer);
        if (host && !inputsDepend) hostNodes.add(node);
        dependsOnHost.set(node, host || inputsDepend);
        continue;
      }
      stack.push([node, true]);
      for (const b of node.inputs)
        if (b.source && !dependsOnHost.has(b.source.node)) stack.push([b.source.node, false]);
    }
    return dependsOnHost.get(start) as boolean;
  };
  const graphRoots = new Set<OrtBuffer>();
  for (const r of roots) {
    if (r.source === null) continue;
    if (!visit(r.source.node)) graphRoots.add(r);
  }
  for (const node of hostNodes) {
    for (const b of node.inputs) if (b.source !== null) graphRoots.add(b);
  }
  return { graphRoots: [...graphRoots], hostNodes: [...hostNodes] };
}

/** Every buffer read by a pending node that computing `roots` needs. */
function inputsReachableFrom(roots: readonly OrtBuffer[]): Set<OrtBuffer> {
  const read = new Set<OrtBuffer>();
  const seen = new Set<PendingNode>();
  const stack = roots.flatMap((r) => (r.source ? [r.source.node] : []));
  while (stack.length > 0) {
    const node = stack.pop() as PendingNode;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const b of node.inputs) {
      read.add(b);
      if (b.source) stack.push(b.source.node);
    }
  }
  return read;
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
