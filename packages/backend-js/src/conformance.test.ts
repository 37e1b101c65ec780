import { describeBackendConformance } from '@rlhf/core/testing';
import { createJsBackend } from './index.js';

describeBackendConformance('js', () => createJsBackend(), {
  reference: createJsBackend({ precision: 'float64' }),
});
