import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { encodeModel } from '../onnx/onnx-proto.js';
import { createSession, directSessionsAvailable } from './direct-session.js';

/** y = x · 2 + x, z = sum(x): two outputs. */
function model(): Uint8Array {
  const g = new GraphBuilder(false, false);
  g.input('x', 'float', [2, 3]);
  const y = g.add('Add', [g.add('Mul', ['x', g.scalar(2, 'float')]), 'x']);
  g.output(y, 'float');
  g.output(g.add('ReduceSum', ['x'], [{ name: 'keepdims', int: 0 }]), 'float');
  return encodeModel(g.toGraph('direct'));
}

describe('direct sessions (onnxruntime-node native session, run synchronously)', () => {
  it('are available with the pinned onnxruntime-node', () => {
    expect(directSessionsAvailable()).toBe(true);
  });

  it('give the outputs of the public API, by name, as onnxruntime tensors', async () => {
    const x = new ort.Tensor('float32', Float32Array.of(1, -2, 3, 0.5, 4, -6), [2, 3]);
    const results = [];
    for (const direct of [true, false]) {
      const session = await createSession(model(), { intraOpNumThreads: 1 }, direct);
      const out = await session.run({ x });
      results.push(Object.keys(out).map((k) => [k, Array.from(out[k]?.data as Float32Array), out[k]?.dims]));
      expect(out[Object.keys(out)[0] as string]).toBeInstanceOf(ort.Tensor);
      await session.release();
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]?.[0]?.[1]).toEqual([3, -6, 9, 1.5, 12, -18]);
    expect(results[0]?.[1]?.[1]).toEqual([0.5]);
  });

  it('reject a bad model and a missing input with onnxruntime errors', async () => {
    await expect(createSession(Uint8Array.of(1, 2, 3), {}, true)).rejects.toThrow();
    const session = await createSession(model(), {}, true);
    await expect(session.run({})).rejects.toThrow(/x|input/i);
    await session.release();
  });
});
