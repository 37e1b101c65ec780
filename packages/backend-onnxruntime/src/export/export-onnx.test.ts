import { createJsBackend } from '@rlhf/backend-js';
import { AdamW, crossEntropy, Random, tensor, tidy } from '@rlhf/core';
import { type LlamaConfig, LlamaForCausalLM } from '@rlhf/models';
import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxRuntimeBackend } from '../index.js';
import { exportOnnx } from './export-onnx.js';

const CONFIG: LlamaConfig = {
  model_type: 'llama',
  vocab_size: 64,
  hidden_size: 32,
  intermediate_size: 48,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 32,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: false,
};
const B = 2;
const T = 12;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

describe('exportOnnx', () => {
  for (const portable of [true, false]) {
    it(`exports a trained Llama whose logits equal the model's to 1e-4 (${portable ? 'portable' : 'contrib ops'})`, async () => {
      const backend = createOnnxRuntimeBackend({ threads: 1 });
      const model = new LlamaForCausalLM(backend, CONFIG, new Random(0));
      const rng = new Random(1);
      const ids = Int32Array.from({ length: B * T }, () => rng.int(CONFIG.vocab_size));
      const idsT = tensor(backend, ids, [B, T], 'int32');
      // Train two steps, so the export has to carry the updated (not the initial) weights.
      const opt = new AdamW(model.parameters(), { lr: 1e-2 });
      for (let step = 0; step < 2; step++) {
        const loss = tidy(() => {
          const l = crossEntropy(model.forward(idsT).logits, idsT);
          l.backward();
          return l;
        });
        opt.step();
        opt.zeroGrad();
        loss.dispose();
      }
      const bytes = await exportOnnx(backend, {
        inputs: { input_ids: { shape: [B, T], dtype: 'int32' } },
        forward: ({ input_ids }) => ({ logits: model.forward(input_ids).logits }),
        portable,
      });

      const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
      expect(session.inputNames).toEqual(['input_ids']);
      expect(session.outputNames).toEqual(['logits']);
      const result = await session.run({ input_ids: new ort.Tensor('int32', ids, [B, T]) });
      const exported = result.logits as ort.Tensor;
      expect(exported.dims).toEqual([B, T, CONFIG.vocab_size]);

      const own = (await tidy(() => model.forward(idsT).logits).data()) as Float32Array;
      expect(maxAbsDiff(exported.data as Float32Array, own)).toBeLessThan(1e-4);

      // And against the same trained weights in the reference backend.
      const js = createJsBackend();
      const twin = new LlamaForCausalLM(js, CONFIG, new Random(0));
      twin.loadStateDict(await model.stateDict());
      const reference = (await tidy(
        () => twin.forward(tensor(js, ids, [B, T], 'int32')).logits,
      ).data()) as Float32Array;
      expect(maxAbsDiff(exported.data as Float32Array, reference)).toBeLessThan(1e-4);
      await session.release();
      opt.dispose();
      model.dispose();
      twin.dispose();
      idsT.dispose();
    });
  }
});
