import { type FileRecords, parseRecords } from './parse-records.js';
import { type ByteSource, readSource, sourceName } from './read-source.js';

/** Gzip's magic bytes. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * Reads training records from a URL, a `File` or bytes — the browser's counterpart of `readRecords` (a
 * path, in `@rlhf/core/node`), with the same formats: a JSON array (or an object holding one), JSONL, and
 * either gzip-compressed (`DecompressionStream`). `name` picks the format for bytes (default
 * `data.jsonl`); a URL or `File` brings its own. `limit` keeps the first records.
 *
 * @throws `SourceReadError` when the source cannot be read, `DataFileError` (file and line) when it does
 * not parse.
 *
 * @example
 * ```ts
 * const { records } = await readRecordsFrom(input.files[0]);
 * ```
 */
export async function readRecordsFrom(
  source: ByteSource,
  { name, limit, fetch: fetchImpl }: { name?: string; limit?: number; fetch?: typeof fetch } = {},
): Promise<FileRecords> {
  const bytes = await readSource(source, fetchImpl);
  const file =
    name ??
    (source instanceof Uint8Array || source instanceof ArrayBuffer ? 'data.jsonl' : sourceName(source).split('?')[0]) ??
    'data.jsonl';
  const all = parseRecords(file, isGzip(bytes) ? await gunzip(bytes) : bytes);
  if (limit === undefined || all.records.length <= limit) return all;
  return { records: all.records.slice(0, limit), lines: all.lines.slice(0, limit) };
}
