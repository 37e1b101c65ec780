/** Builds small llama2.c legacy checkpoints for tests: header + float32 weights with recognisable values. */
export interface SyntheticConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  shared: boolean;
}

export function floatCount(c: SyntheticConfig): number {
  const headSize = c.dim / c.nHeads;
  const kvDim = headSize * c.nKvHeads;
  return (
    c.vocabSize * c.dim +
    c.nLayers * (2 * c.dim + 2 * c.dim * c.dim + 2 * kvDim * c.dim + 3 * c.dim * c.hiddenDim) +
    c.dim +
    c.seqLen * headSize +
    (c.shared ? 0 : c.vocabSize * c.dim)
  );
}

/** Float i of the weights holds the value i (so a test can tell where each value came from). */
export function syntheticCheckpoint(c: SyntheticConfig, extraBytes = 0): Uint8Array {
  const n = floatCount(c);
  const bytes = new Uint8Array(28 + n * 4 + extraBytes);
  const view = new DataView(bytes.buffer);
  const header = [c.dim, c.hiddenDim, c.nLayers, c.nHeads, c.nKvHeads, c.shared ? c.vocabSize : -c.vocabSize, c.seqLen];
  for (const [i, v] of header.entries()) view.setInt32(i * 4, v, true);
  for (let i = 0; i < n; i++) view.setFloat32(28 + i * 4, i, true);
  return bytes;
}

/** Just the 28-byte header (plus `extraBytes` zeros), for configurations that describe no valid model. */
export function headerOnly(c: SyntheticConfig, extraBytes = 64): Uint8Array {
  const bytes = new Uint8Array(28 + extraBytes);
  const view = new DataView(bytes.buffer);
  const header = [c.dim, c.hiddenDim, c.nLayers, c.nHeads, c.nKvHeads, c.shared ? c.vocabSize : -c.vocabSize, c.seqLen];
  for (const [i, v] of header.entries()) view.setInt32(i * 4, v, true);
  return bytes;
}
