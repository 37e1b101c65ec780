import { type Module, RlhfError } from '@rlhf/core';

/** A host tensor by name, as read from or written to safetensors. */
export interface HostTensor {
  /** The tensor's shape. */
  shape: readonly number[];
  /** Its values, row-major. */
  data: Float32Array;
}

/**
 * The weights in a file do not match the model built from its config: a missing or unexpected tensor, or
 * a shape that differs. The message names the file, the tensor and both shapes.
 *
 * @example
 * ```ts
 * throw new WeightsMismatchError('model.safetensors', 'lm_head.weight', 'is missing');
 * ```
 */
export class WeightsMismatchError extends RlhfError {
  /** Builds the error from the weights file, the tensor and how it differs from what the configuration implies. */
  constructor(
    /** The weights file. */
    readonly file: string,
    /** The tensor (Hugging Face name) at fault. */
    readonly tensorName: string,
    reason: string,
  ) {
    super('WEIGHTS_MISMATCH', `${file}: tensor '${tensorName}' ${reason}.`);
  }
}

/** Checkpoint tensors that are buffers, not parameters, in some Hugging Face exports. */
const IGNORED = [/\.attn\.(masked_)?bias$/, /\.rotary_emb\.inv_freq$/];

/**
 * Normalises checkpoint names to the module's: old GPT-2 files lack the `transformer.` prefix;
 * buffers (causal-mask biases, rotary inverse frequencies) are dropped; a tied `lm_head.weight` that
 * duplicates the embedding is dropped.
 */
function normalise(module: Module, tensors: ReadonlyMap<string, HostTensor>): Map<string, HostTensor> {
  const names = new Set([...module.namedParameters()].map(([n]) => n));
  const out = new Map<string, HostTensor>();
  for (const [raw, t] of tensors) {
    if (IGNORED.some((re) => re.test(raw))) continue;
    const name = !names.has(raw) && names.has(`transformer.${raw}`) ? `transformer.${raw}` : raw;
    if (name === 'lm_head.weight' && !names.has(name)) continue; // tied head saved anyway
    out.set(name, t);
  }
  return out;
}

/**
 * Loads checkpoint tensors into a module, checking every name and shape first and throwing
 * {@link WeightsMismatchError} (naming `file` and the tensor) before anything is changed.
 *
 * @example
 * ```ts
 * loadWeights(model, parseSafetensors(bytes).tensors, 'model.safetensors');
 * ```
 */
export function loadWeights(
  module: Module,
  tensors: ReadonlyMap<string, HostTensor>,
  file = 'model.safetensors',
): void {
  const state = normalise(module, tensors);
  for (const [name, p] of module.namedParameters()) {
    const t = state.get(name);
    if (!t) throw new WeightsMismatchError(file, name, 'is missing');
    if (t.shape.length !== p.rank || t.shape.some((d, i) => d !== p.shape[i])) {
      throw new WeightsMismatchError(
        file,
        name,
        `has shape [${t.shape.join(', ')}] but the config implies [${p.shape.join(', ')}]`,
      );
    }
  }
  const own = new Set([...module.namedParameters()].map(([n]) => n));
  for (const name of state.keys()) {
    if (!own.has(name))
      throw new WeightsMismatchError(file, name, 'is not a parameter of this model (config and weights disagree)');
  }
  module.loadStateDict(state);
}

/**
 * Host copies of every parameter by Hugging Face name (what `model.safetensors` holds).
 *
 * @example
 * ```ts
 * const bytes = serializeSafetensors(await collectWeights(model), { format: 'pt' });
 * ```
 */
export async function collectWeights(module: Module): Promise<Map<string, HostTensor>> {
  return module.stateDict();
}
