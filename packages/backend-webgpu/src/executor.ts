/// <reference types="@webgpu/types" />
import { BufferPool } from './buffer-pool.js';
import { GpuDeviceLostError, GpuExecutionError, GpuOutOfMemoryError } from './webgpu-errors.js';

/** `GPUBufferUsage` and `GPUMapMode` flags as numbers (Dawn's Node bindings do not define the globals). */
export const USAGE = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 64, STORAGE: 128 } as const;
const MAP_MODE_READ = 1;

/** Bytes of one kernel's packed uniforms: 64 words, read in WGSL as `array<vec4<u32>, 16>`. */
export const UNIFORM_SLOT_BYTES = 256;
/** Words of one kernel's packed uniforms. */
export const UNIFORM_WORDS = UNIFORM_SLOT_BYTES / 4;

/** Options of the executor (see `WebGpuBackendOptions`). */
export interface ExecutorOptions {
  /** Kernels recorded before a batch is submitted without waiting for a read. */
  maxBatch: number;
  /** Bytes the buffer pool keeps for reuse. */
  maxPooledBytes: number;
}

/** Counters of the work done so far (see `WebGpuBackend.stats`). */
export interface ExecutorStats {
  /** Kernel dispatches recorded. */
  dispatches: number;
  /** Command buffers submitted (batches). */
  submits: number;
  /** Compute pipelines compiled (one per kernel signature). */
  pipelines: number;
  /** Device buffers created (the pool serves the rest). */
  buffersCreated: number;
  /** Bytes waiting in the pool. */
  pooledBytes: number;
}

/**
 * Records kernels into one command encoder and submits them in batches: at a read, when a batch reaches
 * `maxBatch` kernels, or before a host write into a buffer that pending kernels use. Each kernel's
 * uniforms (shapes, strides, scalars) are packed into one 256-byte slot of a per-batch arena, copied to the
 * device with one `writeBuffer` at submission. Pipelines are cached by kernel signature.
 */
export class Executor {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private readonly slots: number;
  private readonly arenaHost: Uint32Array;
  private arenaGpu: GPUBuffer;
  private used = 0;
  /** Batch number of the batch being recorded; buffers remember the last batch that bound them. */
  private batch = 1;
  private readonly lastBatch = new WeakMap<GPUBuffer, number>();
  private readonly counters = { dispatches: 0, submits: 0 };
  /** Set once the device is lost: every later call throws it. */
  lost: GpuDeviceLostError | undefined;
  /** The first uncaptured device error since the last read (thrown by that read). */
  private deviceError: GpuExecutionError | GpuOutOfMemoryError | undefined;
  /** Error scopes of buffer creations whose answer has not arrived yet (awaited by the next read). */
  private readonly pendingScopes = new Set<Promise<void>>();

  /** Creates the executor that records kernels on `device` into batches and submits them. */
  constructor(
    readonly device: GPUDevice,
    options: ExecutorOptions,
  ) {
    this.pool = new BufferPool(device, options.maxPooledBytes);
    this.slots = options.maxBatch;
    this.arenaHost = new Uint32Array((this.slots * UNIFORM_SLOT_BYTES) / 4);
    this.arenaGpu = device.createBuffer({
      size: this.slots * UNIFORM_SLOT_BYTES,
      usage: USAGE.UNIFORM | USAGE.COPY_DST,
    });
    void device.lost.then((info) => {
      this.lost = new GpuDeviceLostError(info.reason ?? 'unknown', info.message || '(no message)');
    });
    device.addEventListener('uncapturederror', (event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      const kind =
        error.constructor?.name === 'GPUOutOfMemoryError'
          ? 'out-of-memory'
          : error.constructor?.name === 'GPUInternalError'
            ? 'internal'
            : 'validation';
      this.deviceError ??= new GpuExecutionError(kind, error.message);
    });
  }

  /** Throws when the device is lost. */
  check(): void {
    if (this.lost) throw this.lost;
  }

  stats(): ExecutorStats {
    return {
      ...this.counters,
      pipelines: this.pipelines.size,
      buffersCreated: this.pool.created,
      pooledBytes: this.pool.pooledBytes,
    };
  }

  private pipeline(key: string, source: () => string): GPUComputePipeline {
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: source(), label: key });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: key });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /**
   * Records one kernel: `key` names its signature (the WGSL `source()` is compiled once per key),
   * `buffers` bind to `@binding(1)`… in order, `uniforms` (at most 64 words) to `@binding(0)`.
   */
  dispatch(
    key: string,
    source: () => string,
    buffers: readonly GPUBuffer[],
    uniforms: Uint32Array,
    groups: readonly [number, number, number],
  ): void {
    this.check();
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    if (this.used === this.slots) this.flush();
    const pipeline = this.pipeline(key, source);
    const slot = this.used++;
    this.arenaHost.set(uniforms, (slot * UNIFORM_SLOT_BYTES) / 4);
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.arenaGpu, offset: slot * UNIFORM_SLOT_BYTES, size: UNIFORM_SLOT_BYTES } },
    ];
    buffers.forEach((buffer, i) => {
      entries.push({ binding: i + 1, resource: { buffer } });
      this.lastBatch.set(buffer, this.batch);
    });
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    if (!this.pass) {
      this.encoder ??= this.device.createCommandEncoder();
      this.pass = this.encoder.beginComputePass();
    }
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.counters.dispatches++;
  }

  /**
   * Creates a device buffer inside an out-of-memory error scope. The device answers asynchronously: a
   * refusal becomes a `GpuOutOfMemoryError` (naming `size` and the live bytes at the time) thrown by the
   * next read, before any result computed with the missing buffer reaches the host.
   */
  createBuffer(size: number, usage: GPUBufferUsageFlags, liveBytes: number): GPUBuffer {
    this.device.pushErrorScope('out-of-memory');
    const buffer = this.device.createBuffer({ size, usage });
    const answer: Promise<void> = this.device
      .popErrorScope()
      .then((error) => {
        if (error) {
          this.deviceError ??= new GpuOutOfMemoryError(size, liveBytes, `the device refused it (${error.message})`);
        }
      })
      .catch(() => {})
      .finally(() => this.pendingScopes.delete(answer));
    this.pendingScopes.add(answer);
    return buffer;
  }

  /** Submits the recorded batch (uniform arena first). */
  flush(): void {
    if (!this.encoder) return;
    this.pass?.end();
    this.pass = undefined;
    if (this.used > 0) {
      this.device.queue.writeBuffer(this.arenaGpu, 0, this.arenaHost.buffer, 0, this.used * UNIFORM_SLOT_BYTES);
    }
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.used = 0;
    this.batch++;
    this.counters.submits++;
  }

  /** Copies host bytes into `buffer`; submits the batch first when pending kernels bind that buffer. */
  write(buffer: GPUBuffer, data: ArrayBufferView): void {
    this.check();
    if (data.byteLength === 0) return;
    if (this.lastBatch.get(buffer) === this.batch) this.flush();
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Copies the first `bytes` of `buffer` to the host through a pooled staging buffer (`mapAsync`). */
  async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.check();
    if (bytes === 0) {
      await this.drainErrors();
      return new ArrayBuffer(0);
    }
    const staging = this.pool.acquire(bytes, USAGE.MAP_READ | USAGE.COPY_DST, (size) =>
      this.device.createBuffer({ size, usage: USAGE.MAP_READ | USAGE.COPY_DST }),
    );
    this.pass?.end();
    this.pass = undefined;
    this.encoder ??= this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
    } catch (error) {
      if (this.lost) throw this.lost;
      throw new GpuExecutionError('map', error instanceof Error ? error.message : String(error));
    }
    const out = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.pool.release(staging);
    await this.drainErrors();
    return out;
  }

  /** Throws the first device error reported since the last read (after every pending allocation's answer). */
  private async drainErrors(): Promise<void> {
    if (this.pendingScopes.size > 0) await Promise.all([...this.pendingScopes]);
    this.check();
    const error = this.deviceError;
    if (error) {
      this.deviceError = undefined;
      throw error;
    }
  }

  /** Waits until the device has finished all submitted work. */
  async sync(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.drainErrors();
  }
}
