import { LINEAR_INDEX, MAIN_1D, PRELUDE } from './wgsl-prelude.js';

/**
 * Rotary position embedding, rotate-half layout (Su et al. 2021, eq. 34; Hugging Face's
 * `apply_rotary_pos_emb`): y = x·cos + rotate_half(x)·sin, rotate_half(x) = [−x₂, x₁] over the halves of
 * the last axis. x (B, H, T, Dh); cos, sin (B or 1, 1, T, Dh). One invocation per element.
 * Uniforms: 0 n, 1 gridX, 2 Dh, 3 T, 4 H·T·Dh, 5 batch stride of the tables (T·Dh, or 0 when shared).
 */
export function rotarySource(): string {
  return `${PRELUDE}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> cosT: array<f32>;
@group(0) @binding(3) var<storage, read> sinT: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
${MAIN_1D} {${LINEAR_INDEX}
  let Dh = U(2u);
  let half = Dh / 2u;
  let d = i % Dh;
  let t = (i / Dh) % U(3u);
  let b = i / U(4u);
  let tab = b * U(5u) + t * Dh + d;
  var rot: f32;
  if (d < half) { rot = -x[i + half]; } else { rot = x[i - half]; }
  out[i] = x[i] * cosT[tab] + rot * sinT[tab];
}`;
}
