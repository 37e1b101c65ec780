import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import { createOnnxRuntimeBackend } from './index.js';

describeBackendConformance('onnxruntime', () => createOnnxRuntimeBackend({ threads: 2 }), {
  reference: createJsBackend({ precision: 'float64' }),
});
