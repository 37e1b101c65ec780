import type { TensorBackend } from '../backend/backend-spec.js';
import { BackendMismatchError, InvalidArgumentError, ShapeError } from '../errors/tensor-errors.js';
import { tensor } from '../ops/creation.js';
import { detach } from '../ops/elementwise.js';
import { keep, noGrad } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Base class of neural-network modules: named parameters and sub-modules, addressed by dotted names
 * exactly as Hugging Face / PyTorch name them (`model.layers.0.self_attn.q_proj.weight`).
 *
 * @example
 * ```ts
 * class Affine extends Module {
 *   readonly weight = this.registerParameter('weight', ones(backend, [4]));
 * }
 * for (const [name, p] of new Affine(backend).namedParameters()) console.log(name, p.shape);
 * ```
 */
export abstract class Module {
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();
  /** Training mode enables dropout. */
  training = true;

  constructor(
    /** Backend on which the parameters live. */
    readonly backend: TensorBackend,
  ) {}

  /** Registers a trainable parameter (kept, `requiresGrad`). Returns it. */
  protected registerParameter(name: string, value: Tensor): Tensor {
    keep(value);
    value.requiresGrad = true;
    this.ownParameters.set(name, value);
    return value;
  }

  /** Registers a sub-module under `name` (use numeric names for lists). Returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    this.children.set(name, module);
    return module;
  }

  /** Removes a sub-module registered under `name` (its parameters are not freed). */
  protected unregisterModule(name: string): void {
    this.children.delete(name);
  }

  /** Every parameter with its dotted name, depth first in registration order. */
  *namedParameters(prefix = ''): Generator<[string, Tensor]> {
    for (const [name, p] of this.ownParameters) yield [prefix + name, p];
    for (const [name, child] of this.children) yield* child.namedParameters(`${prefix}${name}.`);
  }

  /** Every sub-module with its dotted name (this module is `''`). */
  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix.replace(/\.$/, ''), this];
    for (const [name, child] of this.children) yield* child.namedModules(`${prefix}${name}.`);
  }

  /** The parameters, in {@link Module.namedParameters} order. */
  parameters(): Tensor[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  /** Total number of parameter elements (`onlyTrainable` counts those with `requiresGrad`). */
  parameterCount(onlyTrainable = false): number {
    let n = 0;
    for (const p of this.parameters()) if (!onlyTrainable || p.requiresGrad) n += p.size;
    return n;
  }

  /** Sets training mode (dropout on) recursively. Returns this. */
  train(mode = true): this {
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode (dropout off) recursively. Returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Freezes (false) or unfreezes (true) every parameter. Returns this. */
  setRequiresGrad(requiresGrad: boolean): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Copies of the parameter values on the host, by dotted name. */
  async stateDict(): Promise<
    Map<
      string,
      {
        /** The parameter's shape. */
        shape: number[];
        /** The parameter's values, row-major. */
        data: Float32Array;
      }
    >
  > {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, p] of this.namedParameters()) {
      out.set(name, { shape: [...p.shape], data: (await p.data()) as Float32Array });
    }
    return out;
  }

  /**
   * Loads parameter values by dotted name. With `strict` (the default) every parameter must be present
   * and no unknown name may appear; shapes must match. Errors name the parameter.
   */
  loadStateDict(state: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>, strict = true): void {
    const own = new Map(this.namedParameters());
    if (strict) {
      for (const name of own.keys()) {
        if (!state.has(name)) throw new InvalidArgumentError('loadStateDict', 'state', name, 'is missing');
      }
      for (const name of state.keys()) {
        if (!own.has(name))
          throw new InvalidArgumentError('loadStateDict', 'state', name, 'is not a parameter of this module');
      }
    }
    for (const [name, value] of state) {
      const p = own.get(name);
      if (!p) continue;
      if (value.shape.length !== p.rank || value.shape.some((d, i) => d !== p.shape[i])) {
        throw new ShapeError(`loadStateDict(${name})`, [p.shape, value.shape], 'shape differs from the parameter');
      }
      p.assign(tensor(p.backend, value.data, p.shape));
    }
  }

  /**
   * Copies every parameter value from a module of the same structure: device to device on one backend;
   * across backends through the host when the source backend reads synchronously.
   * Throws naming the first parameter whose name or shape differs.
   */
  copyParametersFrom(source: Module): void {
    const theirs = new Map(source.namedParameters());
    for (const [name, p] of this.namedParameters()) {
      const q = theirs.get(name);
      if (!q) throw new InvalidArgumentError('copyParametersFrom', 'source', name, 'is missing in the source module');
      if (q.rank !== p.rank || q.shape.some((d, i) => d !== p.shape[i])) {
        throw new ShapeError(`copyParametersFrom(${name})`, [p.shape, q.shape], 'shape differs');
      }
      if (q.backend === p.backend) p.assign(noGrad(() => detach(q)));
      else if (q.backend.readSync) p.assign(tensor(p.backend, q.dataSync(), p.shape));
      else throw new BackendMismatchError(`copyParametersFrom(${name})`, [p.backend.name, q.backend.name]);
    }
  }

  /** Frees every parameter. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}
