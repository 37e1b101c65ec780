import { it } from 'vitest';
import type { DType, TensorBackend } from '../backend/backend-spec.js';
import type { Tensor } from '../tensor/tensor.js';
import { evaluate, expectTensor, type SuiteContext } from './context.js';

/** One known-value check: `run` builds the tensor on the backend; the expected values are written out. */
export interface ValueCase {
  name: string;
  run: (backend: TensorBackend) => Tensor;
  shape: readonly number[];
  values: readonly number[];
  dtype?: DType;
}

/** Registers one `it` per case, titled `value: <name>`. */
export function itValues(ctx: SuiteContext, cases: readonly ValueCase[]): void {
  for (const c of cases) {
    it(`value: ${c.name}`, async () => {
      const b = ctx.backend();
      const got = await evaluate(() => c.run(b));
      expectTensor(got, c, ctx.tolerance.value);
    });
  }
}
