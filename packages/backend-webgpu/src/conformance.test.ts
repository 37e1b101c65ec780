import { createJsBackend } from '@rlhf/backend-js';
import { describeBackendConformance } from '@rlhf/core/testing';
import { createWebGpuBackend } from './index.js';

describeBackendConformance('webgpu', () => createWebGpuBackend(), {
  reference: createJsBackend({ precision: 'float64' }),
});
