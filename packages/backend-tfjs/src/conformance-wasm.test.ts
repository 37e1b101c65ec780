import '@tensorflow/tfjs-backend-wasm';
import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend } from './index.js';

describeBackendConformance('tfjs-wasm', () => createTfjsBackend({ tf, backendName: 'wasm' }), {
  reference: createJsBackend({ precision: 'float64' }),
});
