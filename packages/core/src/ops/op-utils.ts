import type { BackendBuffer, DType, Shape, TensorBackend } from '../backend/backend-spec.js';
import { BackendMismatchError, DTypeError } from '../errors/tensor-errors.js';
import { Tensor } from '../tensor/tensor.js';

/** Wraps a kernel's output buffer in a tensor. */
export function wrap(backend: TensorBackend, buffer: BackendBuffer, shape: Shape, dtype: DType): Tensor {
  return new Tensor(buffer, [...shape], dtype, backend);
}

/** The backend shared by all `tensors`; throws {@link BackendMismatchError} otherwise. */
export function backendOf(op: string, tensors: readonly Tensor[]): TensorBackend {
  const backend = (tensors[0] as Tensor).backend;
  for (const t of tensors) {
    if (t.backend !== backend)
      throw new BackendMismatchError(
        op,
        tensors.map((x) => x.backend.name),
      );
  }
  return backend;
}

/** Throws {@link DTypeError} unless `t` is float32. */
export function expectFloat(op: string, ...tensors: Tensor[]): void {
  for (const t of tensors) {
    if (t.dtype !== 'float32')
      throw new DTypeError(
        op,
        tensors.map((x) => x.dtype),
        'float32',
      );
  }
}
