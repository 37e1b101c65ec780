import type * as tfjsCore from '@tensorflow/tfjs-core';

/**
 * The TensorFlow.js namespace this package computes with: `@tensorflow/tfjs-core`'s exports, or
 * `@tensorflow/tfjs`'s (a superset). A user passes the copy they already load, so that tensors and
 * backends are shared with the rest of their page or program.
 */
export type Tfjs = typeof tfjsCore;

/** A TensorFlow.js tensor of any rank. */
export type TfTensor = tfjsCore.Tensor;
