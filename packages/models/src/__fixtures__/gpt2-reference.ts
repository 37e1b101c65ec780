import { seededRandom } from '../testing/raw-safetensors.js';
/**
 * An independent GPT-2 for tests: its own safetensors reader and writer (float32 only), a seeded
 * generator, a plain-loop forward pass in float64 and PEFT's LoRA merge done by hand. It shares no code
 * with the library's modules, so agreement with them is evidence, not tautology.
 *
 * Sources: Radford et al. 2019 (GPT-2: pre-LayerNorm blocks, learned positions, tied LM head);
 * Hugging Face `modeling_gpt2.py` facts: `Conv1D` weights stored (in, out) and `y = x·W + b`, fused
 * `c_attn` = [q | k | v] along the output axis, `gelu_new(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`,
 * LayerNorm with biased variance; the safetensors format (8-byte little-endian header length, JSON header
 * of `{ dtype, shape, data_offsets }`, then the raw bytes); PEFT LoRA: `W' = W + s·B·A` with A (r, in),
 * B (out, r), s = lora_alpha / r (or lora_alpha / √r with use_rslora), transposed for `fan_in_fan_out`.
 */

/** A float32 tensor by name. */
export interface RefTensor {
  shape: number[];
  data: Float32Array;
}

/** GPT-2 sizes of the reference. */
export interface RefGpt2Config {
  vocab_size: number;
  n_positions: number;
  n_embd: number;
  n_layer: number;
  n_head: number;
  layer_norm_epsilon: number;
}

/** Mulberry32 (the models package's one copy): a tiny seeded generator of uniforms in [0, 1). */
export const seeded = seededRandom;

/** A tensor of uniforms in [−scale, scale) (plus `offset`) from `next`. */
export function randomTensor(next: () => number, shape: number[], scale: number, offset = 0): RefTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, () => offset + (next() * 2 - 1) * scale) };
}

/** Random GPT-2 weights with Hugging Face names (`transformer.h.0.attn.c_attn.weight` (D, 3D), ...). */
export function randomGpt2Weights(config: RefGpt2Config, seed: number): Map<string, RefTensor> {
  const next = seeded(seed);
  const d = config.n_embd;
  const w = new Map<string, RefTensor>();
  w.set('transformer.wte.weight', randomTensor(next, [config.vocab_size, d], 0.5));
  w.set('transformer.wpe.weight', randomTensor(next, [config.n_positions, d], 0.2));
  for (let l = 0; l < config.n_layer; l++) {
    const p = `transformer.h.${l}.`;
    w.set(`${p}ln_1.weight`, randomTensor(next, [d], 0.2, 1));
    w.set(`${p}ln_1.bias`, randomTensor(next, [d], 0.1));
    w.set(`${p}attn.c_attn.weight`, randomTensor(next, [d, 3 * d], 0.3));
    w.set(`${p}attn.c_attn.bias`, randomTensor(next, [3 * d], 0.1));
    w.set(`${p}attn.c_proj.weight`, randomTensor(next, [d, d], 0.3));
    w.set(`${p}attn.c_proj.bias`, randomTensor(next, [d], 0.1));
    w.set(`${p}ln_2.weight`, randomTensor(next, [d], 0.2, 1));
    w.set(`${p}ln_2.bias`, randomTensor(next, [d], 0.1));
    w.set(`${p}mlp.c_fc.weight`, randomTensor(next, [d, 4 * d], 0.3));
    w.set(`${p}mlp.c_fc.bias`, randomTensor(next, [4 * d], 0.1));
    w.set(`${p}mlp.c_proj.weight`, randomTensor(next, [4 * d, d], 0.3));
    w.set(`${p}mlp.c_proj.bias`, randomTensor(next, [d], 0.1));
  }
  w.set('transformer.ln_f.weight', randomTensor(next, [d], 0.2, 1));
  w.set('transformer.ln_f.bias', randomTensor(next, [d], 0.1));
  return w;
}

/** Bytes of a safetensors file of float32 tensors (written here, not with the library's writer). */
export function writeF32Safetensors(tensors: ReadonlyMap<string, RefTensor>): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, t] of tensors) {
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.length * 4] };
    offset += t.data.length * 4;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i] as number, true);
    at += t.data.length * 4;
  }
  return out;
}

/** Float32 tensors of a safetensors file (read here, not with the library's parser). */
export function readF32Safetensors(bytes: Uint8Array): Map<string, RefTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const out = new Map<string, RefTensor>();
  for (const [name, e] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    if (e.dtype !== 'F32') throw new Error(`reference reader: ${name} is ${e.dtype}, not F32`);
    const [begin, end] = e.data_offsets;
    const data = new Float32Array((end - begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(8 + n + begin + i * 4, true);
    out.set(name, { shape: e.shape, data });
  }
  return out;
}

/**
 * PEFT's merge by hand: for each `base_model.model.<layer>.lora_A.weight` (r, in) and `lora_B.weight`
 * (out, r), `W[o][i] += s·Σ_k B[o][k]·A[k][i]` for an (out, in) weight, or `W[i][o] += …` when
 * `fan_in_fan_out` (GPT-2 Conv1D, stored (in, out)). Returns new weights; the inputs are not changed.
 */
export function mergePeftByHand(
  base: ReadonlyMap<string, RefTensor>,
  adapterConfig: Record<string, unknown>,
  adapter: ReadonlyMap<string, RefTensor>,
): Map<string, RefTensor> {
  const r = adapterConfig.r as number;
  const alpha = adapterConfig.lora_alpha as number;
  const s = adapterConfig.use_rslora === true ? alpha / Math.sqrt(r) : alpha / r;
  const fanInFanOut = adapterConfig.fan_in_fan_out === true;
  const out = new Map([...base].map(([k, v]) => [k, { shape: [...v.shape], data: Float32Array.from(v.data) }]));
  for (const [name, a] of adapter) {
    if (!name.endsWith('.lora_A.weight')) continue;
    const layer = name.slice('base_model.model.'.length, -'.lora_A.weight'.length);
    const b = adapter.get(`base_model.model.${layer}.lora_B.weight`) as RefTensor;
    const w = out.get(`${layer}.weight`) as RefTensor;
    const [rank, inF] = a.shape as [number, number];
    const outF = b.shape[0] as number;
    for (let o = 0; o < outF; o++) {
      for (let i = 0; i < inF; i++) {
        let acc = 0;
        for (let k = 0; k < rank; k++) acc += (b.data[o * rank + k] as number) * (a.data[k * inF + i] as number);
        const at = fanInFanOut ? i * outF + o : o * inF + i;
        w.data[at] = (w.data[at] as number) + s * acc;
      }
    }
  }
  return out;
}

function layerNorm(x: number[], w: RefTensor, b: RefTensor, eps: number): number[] {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * (w.data[i] as number) + (b.data[i] as number));
}

/** x (in) · W (in, out) + b (out), a Conv1D. */
function conv1d(x: number[], w: RefTensor, b: RefTensor): number[] {
  const [inF, outF] = w.shape as [number, number];
  const y = Array.from({ length: outF }, (_, o) => b.data[o] as number);
  for (let i = 0; i < inF; i++) {
    const xi = x[i] as number;
    for (let o = 0; o < outF; o++) y[o] = (y[o] as number) + xi * (w.data[i * outF + o] as number);
  }
  return y;
}

const geluNew = (x: number): number => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

/** Logits (T, V) of the reference GPT-2 for one sequence of token ids, in float64. */
export function gpt2ReferenceLogits(
  config: RefGpt2Config,
  w: ReadonlyMap<string, RefTensor>,
  ids: readonly number[],
): number[][] {
  const d = config.n_embd;
  const h = config.n_head;
  const dh = d / h;
  const eps = config.layer_norm_epsilon;
  const get = (name: string): RefTensor => {
    const t = w.get(name);
    if (!t) throw new Error(`reference: missing ${name}`);
    return t;
  };
  const wte = get('transformer.wte.weight');
  const wpe = get('transformer.wpe.weight');
  let x = ids.map((id, t) =>
    Array.from({ length: d }, (_, j) => (wte.data[id * d + j] as number) + (wpe.data[t * d + j] as number)),
  );
  for (let l = 0; l < config.n_layer; l++) {
    const p = `transformer.h.${l}.`;
    const qkv = x.map((row) =>
      conv1d(
        layerNorm(row, get(`${p}ln_1.weight`), get(`${p}ln_1.bias`), eps),
        get(`${p}attn.c_attn.weight`),
        get(`${p}attn.c_attn.bias`),
      ),
    );
    const attended = x.map((_, t) => {
      const o = new Array<number>(d).fill(0);
      for (let head = 0; head < h; head++) {
        const q = (qkv[t] as number[]).slice(head * dh, (head + 1) * dh);
        const scores: number[] = [];
        for (let s = 0; s <= t; s++) {
          const k = (qkv[s] as number[]).slice(d + head * dh, d + (head + 1) * dh);
          scores.push(q.reduce((a, v, i) => a + v * (k[i] as number), 0) / Math.sqrt(dh));
        }
        const max = Math.max(...scores);
        const e = scores.map((v) => Math.exp(v - max));
        const z = e.reduce((a, v) => a + v, 0);
        for (let s = 0; s <= t; s++) {
          const v = (qkv[s] as number[]).slice(2 * d + head * dh, 2 * d + (head + 1) * dh);
          for (let i = 0; i < dh; i++)
            o[head * dh + i] = (o[head * dh + i] as number) + ((e[s] as number) / z) * (v[i] as number);
        }
      }
      return conv1d(o, get(`${p}attn.c_proj.weight`), get(`${p}attn.c_proj.bias`));
    });
    x = x.map((row, t) => row.map((v, j) => v + ((attended[t] as number[])[j] as number)));
    x = x.map((row) => {
      const hidden = conv1d(
        layerNorm(row, get(`${p}ln_2.weight`), get(`${p}ln_2.bias`), eps),
        get(`${p}mlp.c_fc.weight`),
        get(`${p}mlp.c_fc.bias`),
      ).map(geluNew);
      const m = conv1d(hidden, get(`${p}mlp.c_proj.weight`), get(`${p}mlp.c_proj.bias`));
      return row.map((v, j) => v + (m[j] as number));
    });
  }
  const final = x.map((row) => layerNorm(row, get('transformer.ln_f.weight'), get('transformer.ln_f.bias'), eps));
  // tied head: logits[t][v] = Σ_j final[t][j]·wte[v][j]
  return final.map((row) =>
    Array.from({ length: config.vocab_size }, (_, v) =>
      row.reduce((a, xj, j) => a + xj * (wte.data[v * d + j] as number), 0),
    ),
  );
}

/** Greedy continuation of `ids` by `n` tokens with the reference (full recomputation each step, no cache). */
export function gpt2ReferenceGreedy(
  config: RefGpt2Config,
  w: ReadonlyMap<string, RefTensor>,
  ids: readonly number[],
  n: number,
): number[] {
  const seq = [...ids];
  for (let i = 0; i < n; i++) {
    const last = gpt2ReferenceLogits(config, w, seq).at(-1) as number[];
    let best = 0;
    for (let v = 1; v < last.length; v++) if ((last[v] as number) > (last[best] as number)) best = v;
    seq.push(best);
  }
  return seq.slice(ids.length);
}
