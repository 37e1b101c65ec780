import { RlhfError } from './rlhf-error.js';

/**
 * A backend does not implement an operation (or a dtype for it).
 *
 * @example
 * ```ts
 * throw new UnsupportedOperationError('matmul', 'webgpu', 'int32 inputs');
 * ```
 */
export class UnsupportedOperationError extends RlhfError {
  /** Builds the error from the missing operation and the backend that lacks it. */
  constructor(
    /** The operation that is missing. */
    readonly op: string,
    /** Name of the backend that lacks it. */
    readonly backend: string,
    detail?: string,
  ) {
    super(
      'UNSUPPORTED_OPERATION',
      `Operation '${op}' is not supported by backend '${backend}'${detail ? `: ${detail}` : ''}.`,
    );
  }
}

/**
 * Shapes given to an op are incompatible. The message names the op and every shape involved.
 *
 * @example
 * ```ts
 * throw new ShapeError('matmul', [[2, 3], [4, 5]], 'inner dimensions 3 and 4 differ');
 * ```
 */
export class ShapeError extends RlhfError {
  /** Builds the error from the op, the shapes it got and why they do not fit. */
  constructor(
    /** The op that rejected the shapes. */
    readonly op: string,
    /** Every shape involved, in argument order. */
    readonly shapes: readonly (readonly number[])[],
    reason: string,
  ) {
    super('SHAPE_MISMATCH', `${op}: ${reason} (shapes ${shapes.map((s) => `[${s.join(', ')}]`).join(', ')}).`);
  }
}

/**
 * An op got a dtype it does not accept.
 *
 * @example
 * ```ts
 * throw new DTypeError('div', ['int32', 'int32'], 'float32 inputs');
 * ```
 */
export class DTypeError extends RlhfError {
  /** Builds the error from the op, the dtypes it got and the dtypes expected. */
  constructor(
    /** The op that rejected the dtypes. */
    readonly op: string,
    /** The dtypes it got, in argument order. */
    readonly dtypes: readonly string[],
    expected: string,
  ) {
    super('DTYPE_MISMATCH', `${op}: got dtype ${dtypes.join(', ')}; expected ${expected}.`);
  }
}

/**
 * A tensor was used after it was disposed (often: a tensor created inside `tidy` and used outside it).
 *
 * @example
 * ```ts
 * const t = tidy(() => ones([2])); // returned, so kept
 * ```
 */
export class DisposedTensorError extends RlhfError {
  /** Builds the error for the op that met a disposed tensor. */
  constructor(
    /** The op that met the disposed tensor. */
    readonly op: string,
  ) {
    super('TENSOR_DISPOSED', `${op}: a tensor passed to it was already disposed.`);
  }
}

/**
 * Tensors from two different backends met in one op.
 *
 * @example
 * ```ts
 * throw new BackendMismatchError('add', ['js', 'onnxruntime']);
 * ```
 */
export class BackendMismatchError extends RlhfError {
  /** Builds the error from the op and the backend of each of its inputs. */
  constructor(
    /** The op whose inputs disagree. */
    readonly op: string,
    /** Backend name of each input, in argument order. */
    readonly backends: readonly string[],
  ) {
    super('BACKEND_MISMATCH', `${op}: tensors live on different backends (${backends.join(', ')}).`);
  }
}

/**
 * An argument is invalid (out of range, wrong type). The message names the argument and the value.
 *
 * @example
 * ```ts
 * throw new InvalidArgumentError('slice', 'begin', [5], 'must lie inside the tensor');
 * ```
 */
export class InvalidArgumentError extends RlhfError {
  /** Builds the error from the function, the argument, the value it got and what is expected of it. */
  constructor(
    /** The op (or function) that rejected the argument. */
    readonly op: string,
    /** Name of the argument. */
    readonly argument: string,
    /** The value it got. */
    readonly value: unknown,
    reason: string,
  ) {
    super('INVALID_ARGUMENT', `${op}: argument '${argument}' = ${JSON.stringify(value)} ${reason}.`);
  }
}
