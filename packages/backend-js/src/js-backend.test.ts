import { SPECIFICATION_VERSION, type TensorBackend } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import { createJsBackend, JsBackend } from './index.js';

const f32 = (be: TensorBackend, values: number[], shape: number[]) =>
  be.write(Float32Array.from(values), shape, 'float32');
const i32 = (be: TensorBackend, values: number[], shape: number[]) => be.write(Int32Array.from(values), shape, 'int32');

describe('JsBackend identity', () => {
  it('declares name, version and capabilities', () => {
    const be = createJsBackend();
    expect(be).toBeInstanceOf(JsBackend);
    expect(be.name).toBe('js');
    expect(be.specificationVersion).toBe(SPECIFICATION_VERSION);
    expect(be.capabilities.dtypes).toEqual(['float32', 'int32']);
    expect(be.capabilities.syncRead).toBe(true);
    expect([...be.capabilities.fused].sort()).toEqual([
      'adamw',
      'gelu',
      'layerNorm',
      'logSoftmax',
      'rmsNorm',
      'rotary',
      'silu',
      'softmax',
    ]);
    for (const name of be.capabilities.fused) expect(typeof be.fused[name]).toBe('function');
    expect(createJsBackend({ precision: 'float64' }).name).toBe('js-float64');
  });
});

describe('storage', () => {
  it('write/read round-trips copies of float32 and int32 values', async () => {
    const be = createJsBackend();
    const src = new Float32Array([1.5, -2, 3]);
    const buf = be.write(src, [3], 'float32');
    src[0] = 99; // the backend copied
    const out = be.readSync(buf);
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([1.5, -2, 3]);
    out[1] = 42; // reads are copies too
    expect(Array.from(await be.read(buf))).toEqual([1.5, -2, 3]);
    const ints = be.readSync(i32(be, [1, -2, 2147483647], [3]));
    expect(ints).toBeInstanceOf(Int32Array);
    expect(Array.from(ints)).toEqual([1, -2, 2147483647]);
  });

  it('fills with a value, rounding to the dtype', () => {
    const be = createJsBackend();
    expect(Array.from(be.readSync(be.fill([2, 2], 0.1, 'float32')))).toEqual(new Array(4).fill(Math.fround(0.1)));
    expect(Array.from(be.readSync(be.fill([3], -7, 'int32')))).toEqual([-7, -7, -7]);
    expect(Array.from(be.readSync(be.fill([], 5, 'float32')))).toEqual([5]);
    expect(be.readSync(be.fill([0, 3], 5, 'float32')).length).toBe(0);
  });

  it('rejects a value count that does not fill the shape', () => {
    expect(() => createJsBackend().write(new Float32Array(3), [2, 2], 'float32')).toThrow(/do not fill shape/);
  });

  it('read rejects a disposed buffer (sync and async)', async () => {
    const be = createJsBackend();
    const buf = f32(be, [1], [1]);
    be.dispose(buf);
    expect(() => be.readSync(buf)).toThrow(/disposed/);
    await expect(be.read(buf)).rejects.toThrow(/disposed/);
    expect(() => be.unary('neg', buf)).toThrow(/disposed/);
  });

  it('rejects buffers of another kind', () => {
    expect(() => createJsBackend().unary('neg', {})).toThrow(/not a buffer/);
  });
});

describe('memory accounting', () => {
  it('counts live buffers and bytes, and ignores double dispose', () => {
    const be = createJsBackend();
    expect(be.memory()).toEqual({ liveBuffers: 0, liveBytes: 0 });
    const a = f32(be, [1, 2, 3], [3]);
    const b = i32(be, [1, 2], [2]);
    expect(be.memory()).toEqual({ liveBuffers: 2, liveBytes: 12 + 8 });
    be.dispose(a);
    be.dispose(a);
    expect(be.memory()).toEqual({ liveBuffers: 1, liveBytes: 8 });
    be.dispose(b);
    expect(be.memory()).toEqual({ liveBuffers: 0, liveBytes: 0 });
  });

  it('counts 8 bytes per float in float64 mode', () => {
    const be = createJsBackend({ precision: 'float64' });
    f32(be, [1, 2, 3], [3]);
    expect(be.memory()).toEqual({ liveBuffers: 1, liveBytes: 24 });
  });

  it('reshape shares storage: either handle can be disposed first', () => {
    const be = createJsBackend();
    const x = f32(be, [1, 2, 3, 4, 5, 6], [2, 3]);
    const y = be.reshape(x, [3, 2]);
    expect(be.memory()).toEqual({ liveBuffers: 2, liveBytes: 24 });
    be.dispose(x);
    expect(be.memory()).toEqual({ liveBuffers: 1, liveBytes: 24 });
    expect(Array.from(be.readSync(y))).toEqual([1, 2, 3, 4, 5, 6]);
    const z = be.reshape(y, [6]);
    be.dispose(y);
    expect(Array.from(be.readSync(z))).toEqual([1, 2, 3, 4, 5, 6]);
    be.dispose(z);
    be.dispose(z);
    expect(be.memory()).toEqual({ liveBuffers: 0, liveBytes: 0 });
  });

  it('every kernel returns exactly one new buffer (three for adamw) and leaves inputs alone', () => {
    const be = createJsBackend();
    const x = f32(be, [1, -2, 3, -4, 5, -6], [2, 3]);
    const w = f32(be, [1, 2, 3], [3]);
    const idx = i32(be, [1, 0], [2]);
    const cond = i32(be, [1, 0, 1], [3]);
    const calls: (() => unknown)[] = [
      () => be.unary('exp', x),
      () => be.binary('add', x, w),
      () => be.compare('less', x, w),
      () => be.where(cond, x, w),
      () => be.cast(x, 'int32'),
      () => be.reduce('sum', x, [1], false),
      () => be.argMax(x, 1),
      () => be.matmul(x, x, false, true),
      () => be.reshape(x, [3, 2]),
      () => be.permute(x, [1, 0]),
      () => be.slice(x, [0, 1], [2, 2]),
      () => be.concat([x, x], 0),
      () =>
        be.pad(
          x,
          [
            [1, 0],
            [0, 1],
          ],
          0,
        ),
      () => be.broadcastTo(w, [4, 3]),
      () => be.gather(x, idx, 0),
      () => be.scatterAdd(x, idx, 0, 3),
      () => be.fused.softmax(x),
      () => be.fused.logSoftmax(x),
      () => be.fused.rmsNorm(x, w, 1e-5),
      () => be.fused.layerNorm(x, w, w, 1e-5),
    ];
    for (const call of calls) {
      const before = be.memory().liveBuffers;
      const out = call();
      expect(be.memory().liveBuffers).toBe(before + 1);
      be.dispose(out as never);
      expect(be.memory().liveBuffers).toBe(before);
    }
    const before = be.memory();
    const outs = be.fused.adamw(x, x, x, x, {
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.1,
      step: 1,
    });
    expect(be.memory().liveBuffers).toBe(before.liveBuffers + 3);
    for (const o of outs) be.dispose(o);
    expect(be.memory()).toEqual(before);
    expect(Array.from(be.readSync(x))).toEqual([1, -2, 3, -4, 5, -6]);
  });
});

describe('float64 mode', () => {
  it('keeps float64 precision where float32 mode rounds', () => {
    const big = [1e8, 1e8, 1e8];
    const one = [1, 1, 1];
    for (const [precision, expected] of [
      ['float32', 0],
      ['float64', 1],
    ] as const) {
      const be = createJsBackend({ precision });
      // (1e8 + 1) − 1e8: the intermediate 100000001 is not a float32.
      const sum = be.binary('add', f32(be, big, [3]), f32(be, one, [3]));
      const diff = be.binary('sub', sum, f32(be, big, [3]));
      expect(Array.from(be.readSync(diff))).toEqual([expected, expected, expected]);
    }
  });

  it('writeFloat64/readFloat64 move float64 values without rounding', () => {
    const be = createJsBackend({ precision: 'float64' });
    const third = be.writeFloat64(Float64Array.of(1 / 3, 0.1), [2]);
    expect(Array.from(be.readFloat64(third))).toEqual([1 / 3, 0.1]);
    const y = be.binary('mul', third, third);
    expect(be.readFloat64(y)[0]).toBe((1 / 3) * (1 / 3));
    // readSync still hands out float32.
    const r = be.readSync(third);
    expect(r).toBeInstanceOf(Float32Array);
    expect(r[0]).toBe(Math.fround(1 / 3));
    // A reduction sums exactly what float64 sums.
    const s = be.reduce('sum', be.writeFloat64(Float64Array.of(1e16, 1, -1e16, 0.1), [4]), [0], false);
    expect(be.readFloat64(s)[0]).toBe(1e16 + 1 - 1e16 + 0.1);
    const m = be.matmul(
      be.writeFloat64(Float64Array.of(0.1, 0.2), [1, 2]),
      be.writeFloat64(Float64Array.of(0.3, 0.4), [2, 1]),
      false,
      false,
    );
    expect(be.readFloat64(m)[0]).toBe(0.1 * 0.3 + 0.2 * 0.4);
  });

  it('computes transcendental ops in float64', () => {
    const be = createJsBackend({ precision: 'float64' });
    const x = be.writeFloat64(Float64Array.of(0.7), [1]);
    expect(be.readFloat64(be.unary('exp', x))[0]).toBe(Math.exp(0.7));
    expect(be.readFloat64(be.unary('tanh', x))[0]).toBe(Math.tanh(0.7));
    expect(be.readFloat64(be.fused.softmax(be.writeFloat64(Float64Array.of(0, 0.7), [2])))[1]).toBeCloseTo(
      Math.exp(0.7) / (1 + Math.exp(0.7)),
      15,
    );
  });

  it('casts int32 to float64 storage and back', () => {
    const be = createJsBackend({ precision: 'float64' });
    const x = be.cast(i32(be, [16777217, -3], [2]), 'float32');
    expect(Array.from(be.readFloat64(x))).toEqual([16777217, -3]); // 2²⁴+1 is exact in float64
    expect(Array.from(be.readSync(be.cast(x, 'int32')))).toEqual([16777217, -3]);
  });

  it('refuses the float64 helpers in float32 mode', () => {
    const be = createJsBackend();
    expect(() => be.writeFloat64(Float64Array.of(1), [1])).toThrow(/float64/);
    expect(() => be.readFloat64(f32(be, [1], [1]))).toThrow(/float64/);
  });
});
