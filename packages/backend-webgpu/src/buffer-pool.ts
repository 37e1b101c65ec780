/// <reference types="@webgpu/types" />

/**
 * The size class of an allocation: the smallest of 2ᵏ, 1.25·2ᵏ, 1.5·2ᵏ, 1.75·2ᵏ (bytes, at least 256) that
 * holds it, so that a pooled buffer wastes at most a quarter of its size and buffers of nearby sizes (the
 * same layer at another sequence length) share a class.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 256) return 256;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  for (const step of [1, 1.25, 1.5, 1.75, 2]) {
    const size = octave * step;
    if (size >= bytes) return size;
  }
  return octave * 2;
}

/**
 * Device buffers kept for reuse, keyed by size class and usage. A disposed tensor's buffer goes back here
 * and the next allocation of its class takes it, so a training step allocates nothing new after the first.
 * Reuse is safe without waiting for the GPU: every kernel that read the buffer was recorded before the
 * buffer returned to the pool, and the queue runs recorded work in order.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  /** Bytes of buffers waiting in the pool. */
  pooledBytes = 0;
  /** Device buffers created so far (a steady state creates none). */
  created = 0;

  /** Creates an empty pool on `device` that keeps at most `maxPooledBytes` of free buffers. */
  constructor(
    private readonly device: GPUDevice,
    /** Pooled bytes kept at most; buffers returned beyond it are destroyed. */
    private readonly maxPooledBytes: number,
  ) {}

  /** A buffer of at least `bytes` with `usage`, from the pool when one of its class is free. */
  acquire(bytes: number, usage: GPUBufferUsageFlags, create: (size: number) => GPUBuffer): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.free.get(`${usage}:${size}`);
    const reused = list?.pop();
    if (reused) {
      this.pooledBytes -= size;
      return reused;
    }
    this.created++;
    return create(size);
  }

  /** Returns a buffer for reuse (or destroys it when the pool is full). */
  release(buffer: GPUBuffer): void {
    if (this.pooledBytes + buffer.size > this.maxPooledBytes) {
      buffer.destroy();
      return;
    }
    const key = `${buffer.usage}:${buffer.size}`;
    let list = this.free.get(key);
    if (!list) {
      list = [];
      this.free.set(key, list);
    }
    list.push(buffer);
    this.pooledBytes += buffer.size;
  }

  /** Destroys every pooled buffer (to make room, or when the backend is closed). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.pooledBytes = 0;
  }

  /** The device the pool allocates on. */
  get gpu(): GPUDevice {
    return this.device;
  }
}
