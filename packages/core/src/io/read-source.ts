import { RlhfError } from '../errors/rlhf-error.js';

/**
 * Where bytes come from in a browser-safe way: a URL (`string` or `URL`, read with `fetch`), a `Blob` or
 * `File` (a file the person chose), or the bytes themselves.
 *
 * @example
 * ```ts
 * const sources: ByteSource[] = ['/models/x/config.json', file, new Uint8Array([1, 2])];
 * ```
 */
export type ByteSource = string | URL | Blob | Uint8Array | ArrayBuffer;

/**
 * A source that cannot be read: a URL that does not answer 2xx (or cannot be fetched), a `File` the
 * browser refuses to read, or a value that is not a source at all. `source` names it.
 *
 * @example
 * ```ts
 * try { await readSource('/missing.json'); } catch (e) { if (e instanceof SourceReadError) console.error(e.source); }
 * ```
 */
export class SourceReadError extends RlhfError {
  /** Builds the error from the source (URL, file name) and why it could not be read. */
  constructor(
    /** The URL, the file's name, or a description of the value. */
    readonly source: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('SOURCE_UNREADABLE', `${source} cannot be read: ${reason}.`, options);
  }
}

/** A readable name for a source, for messages. */
export function sourceName(source: ByteSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : `a blob of ${source.size} bytes`;
  }
  return `${(source as Uint8Array | ArrayBuffer).byteLength} bytes`;
}

/**
 * Reads a source into bytes. URLs are fetched (relative ones against the page, with `fetchImpl`, default
 * `globalThis.fetch`); a `Blob`/`File` is read whole; bytes are returned as a `Uint8Array` (not copied).
 *
 * @throws {@link SourceReadError} naming the source: an HTTP status outside 2xx, a failed fetch, an
 * unreadable file, a value that is none of the above.
 *
 * @example
 * ```ts
 * const bytes = await readSource('https://example.com/model.safetensors');
 * ```
 */
export async function readSource(source: ByteSource, fetchImpl: typeof fetch = globalThis.fetch): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const name = sourceName(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    try {
      return new Uint8Array(await source.arrayBuffer());
    } catch (error) {
      throw new SourceReadError(name, (error as Error).message, { cause: error });
    }
  }
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new SourceReadError(String(source).slice(0, 100), 'not a URL, a File/Blob or bytes');
  }
  if (typeof fetchImpl !== 'function') throw new SourceReadError(name, 'no fetch in this runtime');
  let response: Response;
  try {
    response = await fetchImpl(source);
  } catch (error) {
    throw new SourceReadError(name, `the request failed (${(error as Error).message})`, { cause: error });
  }
  if (!response.ok)
    throw new SourceReadError(name, `HTTP ${response.status}${response.status === 404 ? ' (not found)' : ''}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Reads a source as UTF-8 text (see {@link readSource}).
 *
 * @example
 * ```ts
 * const text = await readSourceText(file);
 * ```
 */
export async function readSourceText(source: ByteSource, fetchImpl?: typeof fetch): Promise<string> {
  return new TextDecoder().decode(await readSource(source, fetchImpl));
}
