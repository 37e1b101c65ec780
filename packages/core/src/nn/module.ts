import type { TensorBackend } from '../backend/backend-spec.js';
import { BackendMismatchError, InvalidArgumentError, ShapeError } from '../errors/tensor-errors.js';
import { tensor } from '../ops/creation.js';
import { detach } from '../ops/elementwise.js';
import { keep, noGrad } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';

/** What {@link Module.adapterMerge} returns for a layer that carries an adapter. */
export interface AdapterMerge {
  /** Names under which the adapter's sub-modules are registered in the layer (`lora_A`, `lora_B`). */
  readonly adapterModules: readonly string[];
  /** A new tensor: the layer's `weight` with the adapter merged in, same shape and layout (off the tape). */
  weight(): Tensor;
}

/** Options of {@link Module.copyParametersFrom}. */
export interface CopyParametersOptions {
  /**
   * A source layer's adapter where this module's layer has none: `'copy'` attaches a frozen copy of it
   * (exact), `'merge'` copies the merged weight (a plain model). @defaultValue 'copy'
   */
  adapters?: 'copy' | 'merge';
}

/** The adapter of an adaptable layer as {@link Module.copyParametersFrom} sees it. */
interface LinearAdapterLike {
  readonly modules: Readonly<Record<string, Module>>;
  enabled: boolean;
  clone?(backend: TensorBackend): LinearAdapterLike;
}

/** A layer that can carry an adapter (`Linear`, GPT-2's `Conv1D`). */
interface AdaptableLayer {
  adapter: LinearAdapterLike | null;
  setAdapter(adapter: LinearAdapterLike | null): void;
}

function isAdaptable(m: Module): m is Module & AdaptableLayer {
  return 'adapter' in m && typeof (m as unknown as AdaptableLayer).setAdapter === 'function';
}

/** A parameter's values on the host, as {@link Module.stateDict} and {@link Module.mergedStateDict} give them. */
export interface ParameterValues {
  /** The parameter's shape. */
  shape: number[];
  /** The parameter's values, row-major. */
  data: Float32Array;
}

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

  /** Creates an empty module on `backend`; subclasses register parameters and sub-modules. */
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
   * For a layer that carries an additive adapter (LoRA on a linear layer): the names of the adapter's
   * sub-modules and the layer's weight with the adapter merged in (the function the layer computes), in
   * the layer's own storage layout; `null` for any other module (the default).
   */
  adapterMerge(): AdapterMerge | null {
    return null;
  }

  /**
   * Copies every parameter value from a module of the same structure: device to device on one backend;
   * across backends through the host when the source backend reads synchronously.
   *
   * Strict: every parameter here must exist in the source with the same shape, and every source parameter
   * must have a place here; otherwise an `InvalidArgumentError` or `ShapeError` names the first
   * parameter that differs and nothing is changed.
   *
   * Adapter-aware: where a source layer carries an adapter (LoRA) and the layer here does not, the result
   * computes the source's function — with `adapters: 'copy'` (the default) an adapter of the same structure
   * is attached here (frozen, as the source's are not trained through a copy) and its values copied, so
   * the copy is exact; with `adapters: 'merge'` the merged weight `W + ΔW` is copied instead (a plain
   * model, equal to rounding). Layers that both carry adapters copy them by name. A layer here with an
   * adapter the source lacks is an error.
   */
  copyParametersFrom(source: Module, options: CopyParametersOptions = {}): void {
    const mode = options.adapters ?? 'copy';
    if (mode !== 'copy' && mode !== 'merge')
      throw new InvalidArgumentError('copyParametersFrom', 'options.adapters', mode, "must be 'copy' or 'merge'");
    const ours = new Map(this.namedModules());
    const sourceModules = new Map(source.namedModules());
    for (const [name, m] of ours) {
      if (m.adapterMerge() && !sourceModules.get(name)?.adapterMerge())
        throw new InvalidArgumentError(
          'copyParametersFrom',
          'source',
          name,
          "has no adapter, but this module's layer of that name has one (merge or remove it first)",
        );
    }
    // Source parameters by name; a layer merged here has its adapter's parameters replaced by `W + ΔW`.
    const theirs = new Map<string, Tensor>(source.namedParameters());
    const toMerge: [string, AdapterMerge][] = [];
    const toClone: [AdaptableLayer, LinearAdapterLike][] = [];
    const cloned = new Set<string>();
    for (const [name, m] of sourceModules) {
      const info = m.adapterMerge();
      const target = ours.get(name);
      if (!info || !target || target.adapterMerge()) continue;
      if (mode === 'copy') {
        const adapter = (m as unknown as AdaptableLayer).adapter;
        if (!isAdaptable(target) || !adapter?.clone)
          throw new InvalidArgumentError(
            'copyParametersFrom',
            'source',
            name,
            "carries an adapter that cannot be attached to this module's layer (use adapters: 'merge')",
          );
        toClone.push([target, adapter]);
        for (const key of theirs.keys())
          if (info.adapterModules.some((a) => key.startsWith(`${name}.${a}.`))) cloned.add(key);
        continue;
      }
      for (const key of [...theirs.keys()])
        if (info.adapterModules.some((a) => key.startsWith(`${name}.${a}.`))) theirs.delete(key);
      toMerge.push([`${name}.weight`, info]);
    }
    const own = new Map(this.namedParameters());
    for (const [name, p] of own) {
      const q = theirs.get(name);
      if (!q) throw new InvalidArgumentError('copyParametersFrom', 'source', name, 'is missing in the source module');
      if (q.rank !== p.rank || q.shape.some((d, i) => d !== p.shape[i]))
        throw new ShapeError(`copyParametersFrom(${name})`, [p.shape, q.shape], 'shape differs');
      if (q.backend !== p.backend && !q.backend.readSync)
        throw new BackendMismatchError(`copyParametersFrom(${name})`, [p.backend.name, q.backend.name]);
    }
    for (const name of theirs.keys()) {
      if (!own.has(name) && !cloned.has(name))
        throw new InvalidArgumentError(
          'copyParametersFrom',
          'source',
          name,
          'is a parameter of the source module that this module lacks',
        );
    }
    // Validated: change this module.
    for (const [target, adapter] of toClone) {
      const copy = (adapter.clone as (backend: TensorBackend) => LinearAdapterLike)(this.backend);
      copy.enabled = adapter.enabled;
      target.setAdapter(copy);
      for (const [name, m] of Object.entries(copy.modules)) {
        m.setRequiresGrad(false);
        m.train(adapter.modules[name]?.training ?? true); // the same dropout mode as the source's adapter
      }
    }
    const merged = new Map(toMerge.map(([name, info]) => [name, info.weight()]));
    for (const [name, p] of this.namedParameters()) {
      const m = merged.get(name);
      const q = m ?? (theirs.get(name) as Tensor);
      if (q.backend === p.backend) p.assign(m ?? noGrad(() => detach(q)));
      else {
        p.assign(tensor(p.backend, q.dataSync(), p.shape));
        m?.dispose();
      }
    }
  }

  /**
   * Host copies of the parameters as a plain model of this structure holds them: each layer carrying an
   * adapter contributes its merged weight (`W + ΔW`) under `<layer>.weight` and no adapter parameters.
   * What a Hugging Face folder of an adapted model holds.
   */
  async mergedStateDict(): Promise<Map<string, ParameterValues>> {
    const out = new Map<string, ParameterValues>();
    const adapterPrefixes: string[] = [];
    const mergedWeights = new Map<string, AdapterMerge>();
    for (const [name, m] of this.namedModules()) {
      const info = m.adapterMerge();
      if (!info) continue;
      for (const a of info.adapterModules) adapterPrefixes.push(`${name}.${a}.`);
      mergedWeights.set(`${name}.weight`, info);
    }
    for (const [name, p] of this.namedParameters()) {
      if (adapterPrefixes.some((prefix) => name.startsWith(prefix))) continue;
      const info = mergedWeights.get(name);
      if (!info) {
        out.set(name, { shape: [...p.shape], data: (await p.data()) as Float32Array });
        continue;
      }
      const w = info.weight();
      try {
        out.set(name, { shape: [...w.shape], data: (await w.data()) as Float32Array });
      } finally {
        w.dispose();
      }
    }
    return out;
  }

  /** Frees every parameter. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
  }
}
