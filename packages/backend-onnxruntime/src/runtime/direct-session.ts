import { createRequire } from 'node:module';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-node';
import ort from 'onnxruntime-node';

/** A compiled onnxruntime session as the executor uses it: feeds in, every output out. */
export interface OrtSession {
  /** Runs the graph on `feeds` (one tensor per input name); resolves to every output by name. */
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  /** Frees the session (and writes its profile, when profiling). */
  release(): Promise<void>;
}

/** The part of onnxruntime-node's native session object that a direct session uses. */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, null>, options: object): Record<string, OrtTensor>;
  dispose(): void;
  readonly outputMetadata: readonly { readonly name: string }[];
}

interface NativeBinding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

/**
 * onnxruntime-node's native binding (`dist/binding.js`: not a public entry point, so checked for the
 * members used, and only with the onnxruntime-node version this package pins), or null.
 */
function nativeBinding(): NativeBinding | null {
  try {
    const loaded = createRequire(import.meta.url)('onnxruntime-node/dist/binding.js') as Partial<NativeBinding>;
    const proto = loaded.binding?.InferenceSession?.prototype as Partial<NativeSession> | undefined;
    const usable =
      typeof loaded.initOrt === 'function' &&
      typeof proto?.loadModel === 'function' &&
      typeof proto.run === 'function' &&
      typeof proto.dispose === 'function';
    return usable ? (loaded as NativeBinding) : null;
  } catch {
    return null;
  }
}

let binding: NativeBinding | null | undefined;

/**
 * Whether sessions can run directly on onnxruntime-node's native session (see {@link createSession}).
 *
 * @example
 * ```ts
 * if (!directSessionsAvailable()) console.warn('sessions run through the public API');
 * ```
 */
export function directSessionsAvailable(): boolean {
  binding ??= nativeBinding();
  return binding !== null;
}

/**
 * Compiles a model into a session. `direct`: on onnxruntime-node's native session, run synchronously —
 * the public `InferenceSession.run` is that same call deferred by `setImmediate` behind argument checks
 * and a copy of the result object, ~30 µs a run (a stories260K decoding step is ~150 µs of onnxruntime
 * work). Falls back to the public API when the native binding is not what this package was built against.
 *
 * @example
 * ```ts
 * const session = await createSession(bytes, { intraOpNumThreads: 1 }, true);
 * const outputs = await session.run({ x: new ort.Tensor('float32', [1, 2], [2]) });
 * ```
 */
export async function createSession(
  bytes: Uint8Array,
  options: InferenceSession.SessionOptions,
  direct: boolean,
): Promise<OrtSession> {
  if (direct && directSessionsAvailable()) {
    const { binding: native, initOrt } = binding as NativeBinding;
    initOrt();
    const session = new native.InferenceSession();
    session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, { ...options, executionProviders: ['cpu'] });
    const fetches: Record<string, null> = {};
    for (const output of session.outputMetadata) fetches[output.name] = null;
    return {
      run: async (feeds) => session.run(feeds, fetches, {}),
      release: async () => session.dispose(),
    };
  }
  const session = await ort.InferenceSession.create(bytes, options);
  return {
    run: (feeds) => session.run(feeds) as Promise<Record<string, OrtTensor>>,
    release: () => session.release(),
  };
}
