const MARKER = Symbol.for('@rlhf/error');

/**
 * Base class of every error thrown by `@rlhf/*` packages. Each subclass has a stable `code`; `isInstance`
 * works across duplicated copies of the package (it checks a global symbol, not the prototype chain).
 *
 * @example
 * ```ts
 * try { run(); } catch (e) { if (RlhfError.isInstance(e)) console.error(e.code, e.message); }
 * ```
 */
export class RlhfError extends Error {
  /** Marker read by {@link RlhfError.isInstance}. */
  readonly [MARKER] = true;
  /** Stable machine-readable code, e.g. `'SHAPE_MISMATCH'`. */
  readonly code: string;

  /** Builds a typed error with its stable `code` and a message that names what is wrong. */
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  /** True for any `@rlhf/*` error, from any copy of the package. */
  static isInstance(error: unknown): error is RlhfError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
