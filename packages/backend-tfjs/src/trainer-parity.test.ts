import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createJsBackend } from '@rlhf/backend-js';
import { convertLlama2c } from '@rlhf/models';
import { describeTrainerParity } from '@rlhf/pipeline/testing';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend } from './index.js';

const MODEL_DIR = fileURLToPath(new URL('../../../data/models/stories260K/', import.meta.url));

describeTrainerParity({
  name: 'tfjs-wasm',
  content: convertLlama2c(readFileSync(`${MODEL_DIR}stories260K.bin`), readFileSync(`${MODEL_DIR}tok512.bin`)),
  reference: () => createJsBackend(),
  candidate: () => createTfjsBackend({ tf, backendName: 'wasm' }),
});
