import '@tensorflow/tfjs-backend-cpu';
import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { createTfjsBackend } from './index.js';

describeBackendConformance('tfjs-cpu', () => createTfjsBackend({ tf, backendName: 'cpu' }), {
  reference: createJsBackend({ precision: 'float64' }),
});
