import { backendNames, resolveBackend } from '@rlhf/core';
import { describe, expect, it } from 'vitest';
import './index.js';
import { TfjsBackend } from './tfjs-backend.js';

describe('@rlhf/backend-tfjs on import', () => {
  it('registers "tfjs": resolveBackend finds it by name, one instance per name', async () => {
    expect(backendNames()).toContain('tfjs');
    const backend = await resolveBackend('tfjs');
    expect(backend).toBeInstanceOf(TfjsBackend);
    expect(backend.name).toBe('tfjs');
    expect(await resolveBackend('tfjs')).toBe(backend);
  });
});
