import { LINEAR_INDEX, MAIN_1D, PRELUDE } from './wgsl-prelude.js';

/**
 * One AdamW step (Loshchilov & Hutter 2019, Algorithm 2, in torch.optim.AdamW's order):
 * p ← p·(1 − lr·wd); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − (lr / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + eps).
 * With `inPlace` the kernel binds four buffers (p, m, v read-write, g read) and updates copies the
 * backend made first — for adapters that allow only four storage buffers per stage (compatibility mode's
 * default); otherwise it reads p, g, m, v and writes three new buffers (seven bindings, one pass).
 * Uniforms: 0 n, 1 gridX, 2 β₁, 3 β₂, 4 decay = 1 − lr·wd, 5 step size = lr/(1−β₁ᵗ), 6 √(1−β₂ᵗ), 7 eps.
 */
export function adamwSource(inPlace: boolean): string {
  const bindings = inPlace
    ? `@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;`
    : `@group(0) @binding(1) var<storage, read> p0: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> m0: array<f32>;
@group(0) @binding(4) var<storage, read> v0: array<f32>;
@group(0) @binding(5) var<storage, read_write> p: array<f32>;
@group(0) @binding(6) var<storage, read_write> m: array<f32>;
@group(0) @binding(7) var<storage, read_write> v: array<f32>;`;
  const read = inPlace
    ? 'let pi = p[i]; let mi0 = m[i]; let vi0 = v[i];'
    : 'let pi = p0[i]; let mi0 = m0[i]; let vi0 = v0[i];';
  return `${PRELUDE}
${bindings}
${MAIN_1D} {${LINEAR_INDEX}
  let b1 = UF(2u);
  let b2 = UF(3u);
  let gi = g[i];
  ${read}
  let mi = b1 * mi0 + (1.0f - b1) * gi;
  let vi = b2 * vi0 + (1.0f - b2) * gi * gi;
  m[i] = mi;
  v[i] = vi;
  p[i] = pi * UF(4u) - (UF(5u) * mi) / (sqrt(vi) / UF(6u) + UF(7u));
}`;
}
