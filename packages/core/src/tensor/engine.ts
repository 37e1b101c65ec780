import { InvalidArgumentError, ShapeError } from '../errors/tensor-errors.js';
// Import cycle by design (ops record on this engine; the engine adds gradients with ops): only used
// inside functions, never at module evaluation.
import { onesLike } from '../ops/creation.js';
import { add, copy } from '../ops/elementwise.js';
import type { GradNode, Tensor } from './tensor.js';

/** Anything `tidy` may return: tensors, arrays of them, plain objects of them, or other values. */
export type TensorContainer = Tensor | readonly TensorContainer[] | { [key: string]: TensorContainer } | unknown;

/**
 * The global bookkeeping of tensors: memory scopes and the autodiff tape switch. One per process; it
 * holds no backend state, so tensors of several backends coexist.
 */
class Engine {
  private readonly scopes: Set<Tensor>[] = [];
  private gradDepth = 0;
  /** Live tensors created through core (all backends). */
  liveTensors = 0;

  /** Whether ops currently record on the tape. */
  get gradEnabled(): boolean {
    return this.gradDepth === 0;
  }

  track(t: Tensor): void {
    this.liveTensors++;
    this.scopes[this.scopes.length - 1]?.add(t);
  }

  untrack(t: Tensor): void {
    this.liveTensors--;
    this.scopes[this.scopes.length - 1]?.delete(t);
  }

  tidy<T>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.scopes.pop();
      for (const t of scope) if (!t.kept) t.dispose();
      throw error;
    }
    this.scopes.pop();
    if (result instanceof Promise) {
      throw new InvalidArgumentError('tidy', 'fn', 'async function', 'must be synchronous (await outside tidy)');
    }
    const keep = new Set<Tensor>();
    collectTensors(result, keep);
    const parent = this.scopes[this.scopes.length - 1];
    for (const t of scope) {
      if (keep.has(t)) parent?.add(t);
      else if (!t.kept) t.dispose();
    }
    return result;
  }

  noGrad<T>(fn: () => T): T {
    this.gradDepth++;
    try {
      return fn();
    } finally {
      this.gradDepth--;
    }
  }

  /** Records `out` on the tape when grad mode is on and any input requires grad. */
  record(out: Tensor, op: string, inputs: readonly Tensor[], backward: GradNode['backward']): Tensor {
    if (this.gradDepth === 0 && inputs.some((t) => t.requiresGrad)) {
      out.requiresGrad = true;
      out.gradNode = { op, inputs, backward };
    }
    return out;
  }

  backward(root: Tensor, seed?: Tensor): void {
    if (!root.requiresGrad) {
      throw new InvalidArgumentError('backward', 'tensor', root.toString(), 'does not require grad');
    }
    if (!seed && root.size !== 1) {
      throw new ShapeError('backward', [root.shape], 'a non-scalar root needs an explicit seed gradient');
    }
    if (seed && seed.size !== root.size) {
      throw new ShapeError('backward', [root.shape, seed.shape], 'seed must match the root');
    }
    const order = topologicalOrder(root);
    this.tidy(() =>
      this.noGrad(() => {
        const grads = new Map<Tensor, Tensor>();
        grads.set(root, seed ?? onesLike(root));
        for (let i = order.length - 1; i >= 0; i--) {
          const t = order[i] as Tensor;
          const g = grads.get(t);
          if (!g) continue;
          grads.delete(t);
          const node = t.gradNode;
          if (!node) {
            accumulateLeafGrad(t, g);
            continue;
          }
          const inGrads = node.backward(g);
          node.inputs.forEach((input, k) => {
            const gi = inGrads[k];
            if (!gi || !input.requiresGrad) return;
            const prev = grads.get(input);
            grads.set(input, prev ? addSame(prev, gi) : gi);
          });
        }
      }),
    );
  }
}

/** The process-wide engine. */
export const engine = new Engine();

function addSame(a: Tensor, b: Tensor): Tensor {
  return add(a, b);
}

function accumulateLeafGrad(leaf: Tensor, g: Tensor): void {
  // A gradient tensor may be shared between several leaves (add's rule passes dy to both inputs), so a
  // leaf only takes ownership of a private tensor.
  const own = g.kept ? copy(g) : g;
  if (leaf.grad === null) {
    own.kept = true;
    leaf.grad = own;
    return;
  }
  const sum = addSame(leaf.grad, own);
  sum.kept = true;
  leaf.grad.dispose();
  leaf.grad = sum;
}

function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [t, expanded] = stack.pop() as [Tensor, boolean];
    if (expanded) {
      order.push(t);
      continue;
    }
    if (visited.has(t)) continue;
    visited.add(t);
    stack.push([t, true]);
    for (const input of t.gradNode?.inputs ?? []) {
      if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
    }
  }
  return order;
}

function collectTensors(value: unknown, out: Set<Tensor>): void {
  if (value === null || typeof value !== 'object') return;
  if (isTensor(value)) {
    out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype || value instanceof Map) {
    const values = value instanceof Map ? [...value.values()] : Object.values(value);
    for (const v of values) collectTensors(v, out);
  }
}

function isTensor(v: object): v is Tensor {
  return 'gradNode' in v && 'shape' in v && 'backend' in v;
}

/**
 * Runs `fn` in a memory scope: every tensor created inside and not returned (nor kept) is disposed when
 * it ends, also when it throws. Returned tensors move to the enclosing scope. `fn` must be synchronous.
 *
 * @example
 * ```ts
 * const loss = tidy(() => {
 *   const l = crossEntropy(model.forward(ids), targets);
 *   l.backward();
 *   return l; // everything else of the step is freed
 * });
 * ```
 */
export function tidy<T>(fn: () => T): T {
  return engine.tidy(fn);
}

/**
 * Runs `fn` with the autodiff tape off: ops record nothing (frozen models, evaluation, generation).
 *
 * @example
 * ```ts
 * const logits = noGrad(() => refModel.forward(ids));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return engine.noGrad(fn);
}

/**
 * Marks a tensor as kept: no {@link tidy} scope disposes it (dispose it yourself).
 *
 * @example
 * ```ts
 * const w = keep(randomNormal(backend, [4, 4], rng));
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  t.kept = true;
  return t;
}
