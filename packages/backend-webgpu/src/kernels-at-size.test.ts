import { createJsBackend } from '@rlhf/backend-js';
import { type BackendBuffer, Random, type TensorBackend, type TensorData } from '@rlhf/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend, type WebGpuBackend } from './index.js';

// The conformance suite checks every kernel on small shapes; these cases reach the paths that only larger
// shapes take (several matmul tiles and K steps, workgroup-tree reductions, rows longer than a workgroup,
// the 2-D dispatch grid beyond 65,535 workgroups) and compare with the reference backend.

const js = createJsBackend();
let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await createWebGpuBackend();
});

const rng = new Random(7);

function input(b: TensorBackend, values: Float32Array | Int32Array, shape: number[]): BackendBuffer {
  return b.write(values, shape, values instanceof Int32Array ? 'int32' : 'float32');
}

/** Runs `op` on both backends with the same inputs; returns both outputs' values. */
async function both(
  inputs: { values: Float32Array | Int32Array; shape: number[] }[],
  op: (b: TensorBackend, xs: BackendBuffer[]) => BackendBuffer,
): Promise<{ want: TensorData; got: TensorData }> {
  const want = js.readSync(
    op(
      js,
      inputs.map((x) => input(js, x.values, x.shape)),
    ),
  );
  const xs = inputs.map((x) => input(gpu, x.values, x.shape));
  const out = op(gpu, xs);
  const got = await gpu.read(out);
  for (const x of [...xs, out]) gpu.dispose(x);
  return { want, got };
}

function expectNear(got: TensorData, want: TensorData, atol: number, rtol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs((got[i] as number) - (want[i] as number)) - rtol * Math.abs(want[i] as number);
    worst = Math.max(worst, excess);
  }
  expect(worst, 'largest |Δ| beyond rtol·|want|').toBeLessThanOrEqual(atol);
}

const normals = (shape: number[]) => ({ values: rng.normals(shape.reduce((p, d) => p * d, 1)), shape });

describe('webgpu kernels at sizes beyond the conformance suite (against backend-js)', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matmul 70×45 · 45×131, transposeA ${ta}, transposeB ${tb}, batch [3,1] × [2] broadcast`, async () => {
      const a = normals(ta ? [3, 1, 45, 70] : [3, 1, 70, 45]);
      const b = normals(tb ? [2, 131, 45] : [2, 45, 131]);
      const { want, got } = await both([a, b], (be, [x, y]) => be.matmul(x!, y!, ta, tb));
      expect(got.length).toBe(3 * 2 * 70 * 131);
      // float32 sums of 45 products: the GPU's order along K matches; rounding of the products may not
      expectNear(got, want, 1e-5, 1e-5);
    });
  }

  it('the 128-tile matmul kernel: every transpose, batch broadcast, ragged edges', async () => {
    const big = await createWebGpuBackend({ largeTileMinTiles: 1 });
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const a = normals(ta ? [2, 37, 150] : [2, 150, 37]);
      const b = normals(tb ? [1, 133, 37] : [1, 37, 133]);
      const want = js.readSync(js.matmul(input(js, a.values, a.shape), input(js, b.values, b.shape), ta, tb));
      const got = await big.read(big.matmul(input(big, a.values, a.shape), input(big, b.values, b.shape), ta, tb));
      expect(got.length).toBe(2 * 150 * 133);
      expectNear(got, want, 1e-5, 1e-5);
    }
    expect(big.stats().pipelines).toBe(4); // the four 128-tile variants, nothing else
  });

  it('vec4 loads (contiguous axes multiples of 4) on both tilings, every transpose, equal the scalar loads', async () => {
    const scalar = await createWebGpuBackend({ vectorLoads: false });
    for (const largeTileMinTiles of [1, 1e9]) {
      const vec = await createWebGpuBackend({ largeTileMinTiles });
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        // M = 132, K = 44, N = 68: multiples of 4 that are not multiples of the tiles
        const a = normals(ta ? [3, 44, 132] : [3, 132, 44]);
        const b = normals(tb ? [68, 44] : [44, 68]);
        const run = async (be: WebGpuBackend) =>
          be.read(be.matmul(input(be, a.values, a.shape), input(be, b.values, b.shape), ta, tb));
        const want = js.readSync(js.matmul(input(js, a.values, a.shape), input(js, b.values, b.shape), ta, tb));
        const got = await run(vec);
        expectNear(got, want, 1e-5, 1e-5);
        // the same products in the same order: identical to the scalar-load kernel
        expect(Array.from(got)).toEqual(Array.from(await run(scalar)));
      }
      expect(vec.stats().pipelines, 'four vec4 variants compiled').toBe(4);
    }
  });

  it('matmul 200×300 · 300×100 (several tiles and 19 K steps)', async () => {
    const { want, got } = await both([normals([200, 300]), normals([300, 100])], (b, [x, y]) =>
      b.matmul(x!, y!, false, false),
    );
    expectNear(got, want, 2e-5, 1e-5);
  });

  it('sum / max / min over 1,000 elements (workgroup tree) and over a strided axis', async () => {
    const x = normals([3, 1000, 5]);
    for (const op of ['sum', 'max', 'min'] as const) {
      for (const axes of [[1], [0, 2], [0, 1, 2]]) {
        const { want, got } = await both([x], (b, [t]) => b.reduce(op, t!, axes, false));
        expectNear(got, want, 2e-5, 1e-5);
      }
    }
    const ints = { values: Int32Array.from({ length: 3000 }, (_, i) => ((i * 7919) % 1001) - 500), shape: [3, 1000] };
    for (const op of ['sum', 'max', 'min'] as const) {
      const { want, got } = await both([ints], (b, [t]) => b.reduce(op, t!, [1], true));
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });

  it('argMax along 1,000 (workgroup tree) with a tie and a NaN', async () => {
    const x = normals([4, 1000]);
    x.values[10] = 9;
    x.values[500] = 9; // tie: the first wins
    x.values[1000 + 700] = Number.NaN; // NaN wins
    const { want, got } = await both([x], (b, [t]) => b.argMax(t!, 1));
    expect(Array.from(got)).toEqual(Array.from(want));
    expect(got[0]).toBe(10);
    expect(got[1]).toBe(700);
  });

  it('softmax, logSoftmax, rmsNorm and layerNorm over rows of 1,000 (longer than a workgroup)', async () => {
    const x = normals([6, 1000]);
    const w = normals([1000]);
    const bias = normals([1000]);
    for (const k of ['softmax', 'logSoftmax'] as const) {
      const { want, got } = await both([x], (b, [t]) => b.fused[k]!(t!));
      expectNear(got, want, 1e-6, 1e-5);
    }
    const rms = await both([x, w], (b, [t, ww]) => b.fused.rmsNorm!(t!, ww!, 1e-6));
    expectNear(rms.got, rms.want, 1e-5, 1e-5);
    const ln = await both([x, w, bias], (b, [t, ww, bb]) => b.fused.layerNorm!(t!, ww!, bb!, 1e-5));
    expectNear(ln.got, ln.want, 1e-5, 1e-5);
  });

  it('scatterAdd with repeated indices equals the reference exactly, and is the same on every run', async () => {
    const updates = normals([2, 300, 70]);
    const idx = { values: Int32Array.from({ length: 300 }, (_, i) => (i * i) % 37), shape: [300] };
    const { want, got } = await both([updates, idx], (b, [u, i]) => b.scatterAdd(u!, i!, 1, 40));
    // the same additions in the same (index) order as the sequential reference: bit-identical
    expect(Array.from(got)).toEqual(Array.from(want));
    const again = await both([updates, idx], (b, [u, i]) => b.scatterAdd(u!, i!, 1, 40));
    expect(Array.from(again.got)).toEqual(Array.from(got));
  });

  it('scatterAdd into 3,000 rows (chunked offsets scan), int32 updates, indices out of range add nothing', async () => {
    const updates = normals([500, 3]);
    const idx = { values: Int32Array.from({ length: 500 }, (_, i) => (i * 7919) % 3000), shape: [500] };
    const { want, got } = await both([updates, idx], (b, [u, i]) => b.scatterAdd(u!, i!, 0, 3000));
    expect(Array.from(got)).toEqual(Array.from(want));
    const ints = { values: Int32Array.from({ length: 12 }, (_, i) => i + 1), shape: [2, 6] };
    const rows = { values: Int32Array.of(2, 0, 2, 3, 0, 1), shape: [6] };
    const sums = await both([ints, rows], (b, [u, i]) => b.scatterAdd(u!, i!, 1, 4));
    expect(Array.from(sums.got)).toEqual(Array.from(sums.want));
    const x = gpu.write(Float32Array.of(1, 2, 4, 8), [4], 'float32');
    const bad = gpu.write(Int32Array.of(1, -1, 3, 1), [4], 'int32');
    const out = gpu.scatterAdd(x, bad, 0, 3);
    expect(Array.from(await gpu.read(out))).toEqual([0, 9, 0]);
    for (const t of [x, bad, out]) gpu.dispose(t);
  });

  it('gather of rows (an embedding lookup) and of int32 values', async () => {
    const table = normals([50, 16]);
    const idx = { values: Int32Array.from({ length: 90 }, (_, i) => (i * 13) % 50), shape: [9, 10] };
    const rows = await both([table, idx], (b, [t, i]) => b.gather(t!, i!, 0));
    expect(Array.from(rows.got)).toEqual(Array.from(rows.want));
    const ints = { values: Int32Array.from({ length: 60 }, (_, i) => i * 3 - 50), shape: [3, 20] };
    const g = await both([ints, { values: Int32Array.of(19, 0, 5), shape: [3] }], (b, [t, i]) => b.gather(t!, i!, 1));
    expect(Array.from(g.got)).toEqual(Array.from(g.want));
  });

  it('more than 65,535 workgroups: a 2-D grid (sum over 80,000 rows of 70, 17.5M-element add)', async () => {
    const x = { values: rng.uniforms(80_000 * 70), shape: [80_000, 70] };
    const { want, got } = await both([x], (b, [t]) => b.reduce('sum', t!, [1], false));
    expectNear(got, want, 1e-4, 1e-5);
    const n = 65_536 * 256 + 1000;
    const big = gpu.fill([n], 1.5, 'float32');
    const two = gpu.fill([1], 2, 'float32');
    const sum = gpu.binary('add', big, two);
    const values = await gpu.read(sum);
    expect(values[0]).toBe(3.5);
    expect(values[n - 1]).toBe(3.5);
    for (const t of [big, two, sum]) gpu.dispose(t);
  });
});
