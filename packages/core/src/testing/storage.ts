import { describe, expect, it } from 'vitest';
import { type DType, SPECIFICATION_VERSION, type TensorBackend, type TensorData } from '../backend/backend-spec.js';
import type { SuiteContext } from './context.js';

const FLOAT_SPECIALS = [0, -0, 1.5, -2.25, 3.4028234663852886e38, 1.1754943508222875e-38, 1e-45, Infinity, -Infinity];
const INT_SPECIALS = [0, 1, -1, 2147483647, -2147483648, 123456789];

async function readBack(b: TensorBackend, values: TensorData, shape: number[], dtype: DType): Promise<TensorData> {
  const buf = b.write(values, shape, dtype);
  const out = await b.read(buf);
  b.dispose(buf);
  return out;
}

/** Storage primitives (write, fill, read, readSync, dispose, memory) and the declared capabilities. */
export function describeStorage(ctx: SuiteContext): void {
  describe('storage and capabilities', () => {
    it('declares specification v1, float32 and int32, and consistent capabilities', () => {
      const b = ctx.backend();
      expect(b.specificationVersion).toBe(SPECIFICATION_VERSION);
      expect(typeof b.name).toBe('string');
      expect(b.capabilities.dtypes).toContain('float32');
      expect(b.capabilities.dtypes).toContain('int32');
      expect(typeof b.readSync === 'function').toBe(b.capabilities.syncRead);
      const offered = Object.entries(b.fused)
        .filter(([, fn]) => typeof fn === 'function')
        .map(([name]) => name)
        .sort();
      expect(offered).toEqual([...b.capabilities.fused].sort());
    });

    it('write/read round trip: float32 (signed zero, extremes, subnormals, infinities, NaN)', async () => {
      const b = ctx.backend();
      const values = Float32Array.from([...FLOAT_SPECIALS, Number.NaN]);
      const out = await readBack(b, values, [2, 5], 'float32');
      expect(out).toBeInstanceOf(Float32Array);
      expect(Array.from(out)).toEqual(Array.from(values));
      expect(Object.is(out[1], -0)).toBe(true);
    });

    it('write/read round trip: int32 (extremes)', async () => {
      const b = ctx.backend();
      const values = Int32Array.from(INT_SPECIALS);
      const out = await readBack(b, values, [3, 2], 'int32');
      expect(out).toBeInstanceOf(Int32Array);
      expect(Array.from(out)).toEqual(INT_SPECIALS);
    });

    it('write/read round trip: rank 0 and size 0', async () => {
      const b = ctx.backend();
      expect(Array.from(await readBack(b, Float32Array.of(-7.5), [], 'float32'))).toEqual([-7.5]);
      expect(Array.from(await readBack(b, new Float32Array(0), [0, 4], 'float32'))).toEqual([]);
      expect(Array.from(await readBack(b, new Int32Array(0), [3, 0], 'int32'))).toEqual([]);
    });

    it('read returns a fresh copy (mutating it leaves the buffer unchanged)', async () => {
      const b = ctx.backend();
      const input = Float32Array.of(1, 2, 3);
      const buf = b.write(input, [3], 'float32');
      input[0] = 100;
      const first = await b.read(buf);
      first[1] = 200;
      expect(Array.from(await b.read(buf))).toEqual([1, 2, 3]);
      b.dispose(buf);
    });

    it('fill: float32, int32, rank 0, size 0, infinities', async () => {
      const b = ctx.backend();
      const cases: [number[], number, DType, number[]][] = [
        [[2, 2], 2.5, 'float32', [2.5, 2.5, 2.5, 2.5]],
        [[3], -7, 'int32', [-7, -7, -7]],
        [[], 4, 'float32', [4]],
        [[0, 5], 1, 'float32', []],
        [[2], -Infinity, 'float32', [-Infinity, -Infinity]],
      ];
      for (const [shape, value, dtype, expected] of cases) {
        const buf = b.fill(shape, value, dtype);
        const out = await b.read(buf);
        b.dispose(buf);
        expect(out).toBeInstanceOf(dtype === 'float32' ? Float32Array : Int32Array);
        expect(Array.from(out), `fill ${JSON.stringify(shape)} ${value} ${dtype}`).toEqual(expected);
      }
    });

    it('readSync agrees with read (when capabilities.syncRead)', async () => {
      const b = ctx.backend();
      if (!b.capabilities.syncRead || !b.readSync) return;
      const buf = b.write(Float32Array.of(1, -2, 3.5), [3], 'float32');
      expect(Array.from(b.readSync(buf))).toEqual(Array.from(await b.read(buf)));
      b.dispose(buf);
    });

    it('memory(): counts buffers and bytes, and dispose gives them back', () => {
      const b = ctx.backend();
      const before = b.memory();
      const f = b.write(new Float32Array(16), [4, 4], 'float32');
      const i = b.fill([8], 3, 'int32');
      const mid = b.memory();
      expect(mid.liveBuffers).toBe(before.liveBuffers + 2);
      expect(mid.liveBytes).toBeGreaterThanOrEqual(before.liveBytes + 4 * 24);
      const y = b.unary('exp', f);
      expect(b.memory().liveBuffers).toBe(before.liveBuffers + 3);
      for (const buf of [f, i, y]) b.dispose(buf);
      expect(b.memory()).toEqual(before);
    });
  });
}
