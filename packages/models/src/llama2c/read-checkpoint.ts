import { readFloat32LE } from '../utils/little-endian.js';
import { Llama2cFormatError } from './llama2c-error.js';

/**
 * The 7-int32 header of a legacy llama2.c checkpoint.
 *
 * @example
 * ```ts
 * const { dim, nHeads, sharedClassifier }: Llama2cConfig = readLlama2cCheckpoint(bytes).config;
 * ```
 */
export interface Llama2cConfig {
  /** Model width. */
  dim: number;
  /** Width of the SwiGLU MLP. */
  hiddenDim: number;
  /** Number of layers. */
  nLayers: number;
  /** Number of query heads. */
  nHeads: number;
  /** Number of key/value heads. */
  nKvHeads: number;
  /** Always positive here; the file stores it negated when the classifier is not shared. */
  vocabSize: number;
  /** Longest sequence. */
  seqLen: number;
  /** True when the output classifier is the token embedding (a positive `vocab_size` in the file). */
  sharedClassifier: boolean;
}

/**
 * The weights of a llama2.c checkpoint, in its own layout: each array is all layers stacked, each layer
 * a PyTorch `(out_features, in_features)` matrix in row-major order. `wq` and `wk` use the interleaved
 * rotary convention of Meta's Llama (pairs `2i, 2i+1`).
 *
 * @example
 * ```ts
 * const { wq, wk }: Llama2cWeights = readLlama2cCheckpoint(bytes).weights;
 * ```
 */
export interface Llama2cWeights {
  /** Token embedding table (vocab, dim). */
  tokenEmbedding: Float32Array;
  /** RMSNorm weights before attention, (layers, dim). */
  rmsAtt: Float32Array;
  /** Query projections, (layers, dim, dim). */
  wq: Float32Array;
  /** Key projections, (layers, kvDim, dim). */
  wk: Float32Array;
  /** Value projections, (layers, kvDim, dim). */
  wv: Float32Array;
  /** Attention output projections, (layers, dim, dim). */
  wo: Float32Array;
  /** RMSNorm weights before the MLP, (layers, dim). */
  rmsFfn: Float32Array;
  /** MLP gate projections, (layers, hidden, dim). */
  w1: Float32Array;
  /** MLP down projections, (layers, dim, hidden). */
  w2: Float32Array;
  /** MLP up projections, (layers, hidden, dim). */
  w3: Float32Array;
  /** Final RMSNorm weight, (dim). */
  rmsFinal: Float32Array;
  /** Precomputed RoPE cosines, (seqLen, headSize / 2); not used by the conversion. */
  freqCisReal: Float32Array;
  /** Precomputed RoPE sines, (seqLen, headSize / 2); not used by the conversion. */
  freqCisImag: Float32Array;
  /** The classifier (vocab, dim); absent when shared with the embedding. */
  wcls?: Float32Array;
}

/**
 * A parsed llama2.c checkpoint.
 *
 * @example
 * ```ts
 * const checkpoint: Llama2cCheckpoint = readLlama2cCheckpoint(bytes, 'stories260K.bin');
 * ```
 */
export interface Llama2cCheckpoint {
  /** The header's hyper-parameters. */
  config: Llama2cConfig;
  /** The weights, in llama2.c's layout. */
  weights: Llama2cWeights;
}

const HEADER_BYTES = 7 * 4;
/** Magic number of llama2.c's versioned exports (`export.py --version 1/2`): "ak42". */
const VERSIONED_MAGIC = 0x616b3432;

/**
 * Reads a llama2.c checkpoint in the legacy format (`run.c`'s: 7 int32 `dim, hidden_dim, n_layers,
 * n_heads, n_kv_heads, vocab_size, seq_len`, then float32 weights). The header is validated and the file
 * length checked against it before any weight is copied; every problem throws a {@link Llama2cFormatError}.
 *
 * @example
 * ```ts
 * const { config, weights } = readLlama2cCheckpoint(bytes, 'stories260K.bin');
 * config.dim; // 64
 * ```
 */
export function readLlama2cCheckpoint(bytes: Uint8Array, fileName = 'checkpoint.bin'): Llama2cCheckpoint {
  if (bytes.length < HEADER_BYTES) {
    throw new Llama2cFormatError(
      'LLAMA2C_TRUNCATED',
      fileName,
      `file is ${bytes.length} bytes long; a llama2.c checkpoint starts with a ${HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (view.getUint32(0, true) === VERSIONED_MAGIC) {
    throw new Llama2cFormatError(
      'LLAMA2C_UNSUPPORTED_VERSION',
      fileName,
      'this is a versioned llama2.c export (magic "ak42"); only the legacy format (export.py --version 0) is supported',
    );
  }
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, rawVocab, seqLen] = Array.from({ length: 7 }, (_, i) =>
    view.getInt32(i * 4, true),
  ) as [number, number, number, number, number, number, number];
  const config: Llama2cConfig = {
    dim,
    hiddenDim,
    nLayers,
    nHeads,
    nKvHeads,
    vocabSize: Math.abs(rawVocab),
    seqLen,
    sharedClassifier: rawVocab > 0,
  };
  checkHeader(config, fileName);

  const sizes = weightSizes(config);
  const expectedFloats = Object.values(sizes).reduce((a, b) => a + b, 0);
  const expectedBytes = HEADER_BYTES + expectedFloats * 4;
  if (bytes.length !== expectedBytes) {
    throw new Llama2cFormatError(
      'LLAMA2C_SIZE_MISMATCH',
      fileName,
      `header (${describe(config)}) implies ${expectedBytes} bytes but the file has ${bytes.length}` +
        (bytes.length < expectedBytes ? ' (truncated?)' : ' (header does not match the weights?)'),
    );
  }

  let offset = HEADER_BYTES;
  const take = (count: number): Float32Array => {
    const array = readFloat32LE(bytes, offset, count);
    offset += count * 4;
    return array;
  };
  const weights: Llama2cWeights = {
    tokenEmbedding: take(sizes.tokenEmbedding),
    rmsAtt: take(sizes.rmsAtt),
    wq: take(sizes.wq),
    wk: take(sizes.wk),
    wv: take(sizes.wv),
    wo: take(sizes.wo),
    rmsFfn: take(sizes.rmsFfn),
    w1: take(sizes.w1),
    w2: take(sizes.w2),
    w3: take(sizes.w3),
    rmsFinal: take(sizes.rmsFinal),
    freqCisReal: take(sizes.freqCisReal),
    freqCisImag: take(sizes.freqCisImag),
  };
  if (!config.sharedClassifier) weights.wcls = take(sizes.wcls);
  return { config, weights };
}

/** Float counts of each weight, in file order (`wcls` is 0 when shared). */
function weightSizes(c: Llama2cConfig): Record<keyof Llama2cWeights, number> {
  const headSize = c.dim / c.nHeads;
  const kvDim = headSize * c.nKvHeads;
  return {
    tokenEmbedding: c.vocabSize * c.dim,
    rmsAtt: c.nLayers * c.dim,
    wq: c.nLayers * c.dim * c.dim,
    wk: c.nLayers * kvDim * c.dim,
    wv: c.nLayers * kvDim * c.dim,
    wo: c.nLayers * c.dim * c.dim,
    rmsFfn: c.nLayers * c.dim,
    w1: c.nLayers * c.hiddenDim * c.dim,
    w2: c.nLayers * c.dim * c.hiddenDim,
    w3: c.nLayers * c.hiddenDim * c.dim,
    rmsFinal: c.dim,
    freqCisReal: (c.seqLen * headSize) / 2,
    freqCisImag: (c.seqLen * headSize) / 2,
    wcls: c.sharedClassifier ? 0 : c.vocabSize * c.dim,
  };
}

function checkHeader(c: Llama2cConfig, fileName: string): void {
  const problems: string[] = [];
  for (const [name, value] of [
    ['dim', c.dim],
    ['hidden_dim', c.hiddenDim],
    ['n_layers', c.nLayers],
    ['n_heads', c.nHeads],
    ['n_kv_heads', c.nKvHeads],
    ['vocab_size', c.vocabSize],
    ['seq_len', c.seqLen],
  ] as const) {
    if (!(value > 0)) problems.push(`${name} = ${value} must be positive`);
  }
  if (problems.length === 0) {
    if (c.dim % c.nHeads !== 0) problems.push(`dim ${c.dim} is not a multiple of n_heads ${c.nHeads}`);
    else if ((c.dim / c.nHeads) % 2 !== 0) problems.push(`head size ${c.dim / c.nHeads} is odd (rotary needs pairs)`);
    if (c.nHeads % c.nKvHeads !== 0) problems.push(`n_heads ${c.nHeads} is not a multiple of n_kv_heads ${c.nKvHeads}`);
  }
  if (problems.length > 0) {
    throw new Llama2cFormatError('LLAMA2C_HEADER', fileName, `invalid header (${describe(c)}): ${problems.join('; ')}`);
  }
}

function describe(c: Llama2cConfig): string {
  return (
    `dim ${c.dim}, hidden_dim ${c.hiddenDim}, n_layers ${c.nLayers}, n_heads ${c.nHeads}, ` +
    `n_kv_heads ${c.nKvHeads}, vocab_size ${c.sharedClassifier ? '' : '-'}${c.vocabSize}, seq_len ${c.seqLen}`
  );
}
