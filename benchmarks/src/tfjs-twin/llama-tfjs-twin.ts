import type { LlamaConfig } from '@rlhf/models';
import type * as tfjs from '@tensorflow/tfjs';

/** The `@tensorflow/tfjs` namespace. */
export type Tf = typeof tfjs;
type T = tfjs.Tensor;

/**
 * The benchmark's Llama written the way a TensorFlow.js user writes it: `tf.variable` weights, tfjs ops
 * for the forward pass, tfjs's own autodiff (`tf.variableGrads`) and optimiser (`tf.train.adam`; tfjs has
 * no AdamW, so no weight decay), the gradients clipped to global norm 1 by hand (tfjs has no
 * `clipByGlobalNorm`). Same shapes and step as `llama-train-step`: embedding → per layer
 * [RMSNorm → q, k, v → rotary (rotate-half) → causal softmax attention → o; RMSNorm → SwiGLU] →
 * RMSNorm → untied head → mean cross-entropy over all B·T tokens.
 */
export class LlamaTfjsTwin {
  private readonly weights: tfjs.Variable[] = [];
  private readonly optimizer: tfjs.Optimizer;
  private readonly mask: T;
  private readonly cos: T;
  private readonly sin: T;

  constructor(
    private readonly tf: Tf,
    private readonly c: LlamaConfig,
    seqLen: number,
    seed: number,
  ) {
    this.optimizer = tf.train.adam(3e-4, 0.9, 0.999, 1e-8);
    const hd = c.hidden_size / c.num_attention_heads;
    // Causal mask (T, T): 0 on and below the diagonal, −1e9 above.
    this.mask = tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([seqLen, seqLen]), -1, 0)), -1e9));
    // Rotary tables (T, hd): θ_i = base^(−2i/hd), angle t·θ_i, the halves repeated (rotate-half layout).
    const angles = tf.tidy(() => {
      const inv = tf.pow(c.rope_theta ?? 10000, tf.div(tf.range(0, hd, 2), -hd));
      const a = tf.outerProduct(tf.range(0, seqLen), inv as tfjs.Tensor1D);
      return tf.concat([a, a], -1);
    });
    this.cos = tf.cos(angles);
    this.sin = tf.sin(angles);
    angles.dispose();
    let s = seed;
    const w = (shape: number[], init: 'normal' | 'ones') => {
      const v = tf.variable(init === 'ones' ? tf.ones(shape) : tf.randomNormal(shape, 0, 0.02, 'float32', s++));
      this.weights.push(v);
      return v;
    };
    const d = c.hidden_size;
    this.embed = w([c.vocab_size, d], 'normal');
    this.layers = Array.from({ length: c.num_hidden_layers }, () => ({
      attnNorm: w([d], 'ones'),
      wq: w([d, d], 'normal'),
      wk: w([d, d], 'normal'),
      wv: w([d, d], 'normal'),
      wo: w([d, d], 'normal'),
      mlpNorm: w([d], 'ones'),
      gate: w([d, c.intermediate_size], 'normal'),
      up: w([d, c.intermediate_size], 'normal'),
      down: w([c.intermediate_size, d], 'normal'),
    }));
    this.finalNorm = w([d], 'ones');
    this.head = w([d, c.vocab_size], 'normal');
  }

  private readonly embed: tfjs.Variable;
  private readonly layers: Record<
    'attnNorm' | 'wq' | 'wk' | 'wv' | 'wo' | 'mlpNorm' | 'gate' | 'up' | 'down',
    tfjs.Variable
  >[];
  private readonly finalNorm: tfjs.Variable;
  private readonly head: tfjs.Variable;

  /** Parameters (for the figure beside the throughput). */
  parameterCount(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** RMSNorm (Zhang & Sennrich 2019): x / √(mean(x²) + eps) · w; x (..., d). */
  private rmsNorm(x: T, w: T): T {
    const tf = this.tf;
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), this.c.rms_norm_eps ?? 1e-5))), w);
  }

  /** Rotate-half rotary embedding: x·cos + [−x₂, x₁]·sin; x (B, H, T, hd). */
  private rotary(x: T): T {
    const tf = this.tf;
    const half = (x.shape[3] as number) / 2;
    const [x1, x2] = tf.split(x, [half, half], 3);
    return tf.add(tf.mul(x, this.cos), tf.mul(tf.concat([tf.neg(x2 as T), x1 as T], 3), this.sin));
  }

  /** Mean cross-entropy of the next-token logits; ids and targets (B, T) int32. */
  loss(ids: T, targets: T): tfjs.Scalar {
    const tf = this.tf;
    const [B, Tn] = ids.shape as [number, number];
    const d = this.c.hidden_size;
    const H = this.c.num_attention_heads;
    const hd = d / H;
    // Embedding as one-hot × table: tfjs's wasm backend has no UnsortedSegmentSum, the kernel of
    // gather's gradient (tf.gather, and tfjs-layers' Embedding, fail to train there).
    let x = tf.matMul(tf.oneHot(tf.reshape(ids, [-1]), this.c.vocab_size), this.embed); // (B·T, V) × (V, d)
    const heads = (t: T) => tf.transpose(tf.reshape(t, [B, Tn, H, hd]), [0, 2, 1, 3]); // (B, H, T, hd)
    for (const l of this.layers) {
      const h = this.rmsNorm(x, l.attnNorm);
      const q = this.rotary(heads(tf.matMul(h, l.wq)));
      const k = this.rotary(heads(tf.matMul(h, l.wk)));
      const v = heads(tf.matMul(h, l.wv));
      const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(hd)), this.mask); // (B, H, T, T)
      const o = tf.reshape(tf.transpose(tf.matMul(tf.softmax(scores), v), [0, 2, 1, 3]), [B * Tn, d]);
      x = tf.add(x, tf.matMul(o, l.wo));
      const m = this.rmsNorm(x, l.mlpNorm);
      const g = tf.matMul(m, l.gate);
      x = tf.add(x, tf.matMul(tf.mul(tf.mul(g, tf.sigmoid(g)), tf.matMul(m, l.up)), l.down)); // SwiGLU
    }
    const logits = tf.matMul(this.rmsNorm(x, this.finalNorm), this.head); // (B·T, V)
    const onehot = tf.oneHot(tf.reshape(targets, [-1]), this.c.vocab_size);
    return tf.losses.softmaxCrossEntropy(onehot, logits) as tfjs.Scalar;
  }

  /** One step: loss and gradients by `tf.variableGrads`, clip to global norm 1, Adam. Returns the loss. */
  step(ids: T, targets: T): tfjs.Scalar {
    const tf = this.tf;
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(ids, targets));
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n] as T)))));
      const scale = tf.minimum(1, tf.div(1, tf.add(norm, 1e-6)));
      const clipped: Record<string, T> = {};
      for (const n of names) clipped[n] = tf.mul(grads[n] as T, scale);
      this.optimizer.applyGradients(clipped);
      return value;
    });
  }

  /** The last weight (read after each step, as the benchmark of our step reads its last parameter). */
  lastWeight(): T {
    return this.head;
  }

  dispose(): void {
    for (const v of this.weights) v.dispose();
    this.optimizer.dispose();
    this.mask.dispose();
    this.cos.dispose();
    this.sin.dispose();
  }
}
