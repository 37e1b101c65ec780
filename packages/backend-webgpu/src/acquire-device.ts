/// <reference types="@webgpu/types" />
import type { DawnAttempt } from './dawn-attempt.js';
import { WebGpuUnavailableError, WebGpuUnsupportedError } from './webgpu-errors.js';

/** How a device was obtained, and what it is. */
export interface AcquiredDevice {
  /** The device the backend runs on. */
  device: GPUDevice;
  /** Adapter description (vendor, architecture, device, description), as far as the adapter tells it. */
  adapterInfo: string;
  /** Where the device came from: `'navigator.gpu'`, `'dawn: <options>'` or `'given'`. */
  source: string;
}

/** Limits the kernels need at least (the defaults of WebGPU's compatibility mode are lower). */
export const REQUIRED_LIMITS = {
  /** Matmul tiles and reductions run 256 invocations per workgroup (16 × 16). */
  maxComputeInvocationsPerWorkgroup: 256,
  /** The one-dimensional kernels run 256 invocations along x. */
  maxComputeWorkgroupSizeX: 256,
  /** The fused AdamW kernel binds four storage buffers (more when the adapter allows: see the kernel). */
  maxStorageBuffersPerShaderStage: 4,
  /** The matmul tiles use 8 KiB of workgroup memory. */
  maxComputeWorkgroupStorageSize: 8192,
} as const;

/** Limits raised to the adapter's maximum when it offers more than the default (larger tensors, more bindings). */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
] as const;

/** Reads an adapter's description into one line. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info?.vendor, info?.architecture, info?.device, info?.description].filter((p) => p && p.length > 0);
  return parts.length > 0 ? parts.join(' / ') : '(the adapter gives no description)';
}

/** Requests a device with the limits the kernels need, raised to what the adapter offers. */
export async function requestDeviceFrom(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const [name, need] of Object.entries(REQUIRED_LIMITS)) {
    const offered = adapter.limits[name as keyof GPUSupportedLimits] as number;
    if (offered < need) {
      throw new WebGpuUnsupportedError(name, `the kernels need ${need}, the adapter offers ${offered}`);
    }
  }
  for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name] as number;
  return adapter.requestDevice({ requiredLimits });
}

/**
 * A device from `navigator.gpu` when the page (or runtime) has one, otherwise from Dawn's Node bindings
 * (imported lazily from `./node.js`, so browsers never load them), trying `dawnAttempts` in order (default:
 * `DEFAULT_DAWN_ATTEMPTS` of `@rlhf/backend-webgpu/node`). Throws {@link WebGpuUnavailableError}
 * naming every attempt when none gives an adapter.
 */
export async function acquireDevice(
  powerPreference?: GPUPowerPreference,
  dawnAttempts?: readonly DawnAttempt[],
): Promise<AcquiredDevice> {
  const tried: string[] = [];
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) {
    const adapter = await nav.gpu.requestAdapter(powerPreference ? { powerPreference } : {});
    if (adapter) {
      return {
        device: await requestDeviceFrom(adapter),
        adapterInfo: describeAdapter(adapter),
        source: 'navigator.gpu',
      };
    }
    tried.push('navigator.gpu.requestAdapter(): no adapter');
  } else {
    tried.push('navigator.gpu: absent');
  }
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';
  if (!isNode) throw new WebGpuUnavailableError(tried);
  let node: typeof import('./node.js');
  try {
    node = await import('./node.js');
  } catch (error) {
    tried.push(`import of Dawn's bindings (npm 'webgpu'): ${error instanceof Error ? error.message : String(error)}`);
    throw new WebGpuUnavailableError(tried, { cause: error });
  }
  const found = await node.requestDawnAdapter(powerPreference, dawnAttempts);
  tried.push(...found.tried);
  if (!found.adapter || !found.attempt) {
    tried.push(
      'on Linux without a GPU, install Mesa (Debian: libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri) for the OpenGL ES path',
    );
    throw new WebGpuUnavailableError(tried);
  }
  return {
    device: await requestDeviceFrom(found.adapter),
    adapterInfo: describeAdapter(found.adapter),
    source: `dawn: [${found.attempt.dawnOptions.join(', ')}]`,
  };
}
