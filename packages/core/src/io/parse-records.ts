import { RlhfError } from '../errors/rlhf-error.js';

/**
 * A data file cannot be read or parsed, or one of its records is unusable. The message names the file and
 * the line (1-based) where it can be known.
 *
 * @example
 * ```ts
 * throw new DataFileError('train.jsonl', 12, 'is not valid JSON: Unexpected token }');
 * // train.jsonl line 12 is not valid JSON: Unexpected token }.
 * ```
 */
export class DataFileError extends RlhfError {
  /** Builds the error from the file, the line (when known) and what is wrong there. */
  constructor(
    /** The file. */
    readonly file: string,
    /** 1-based line, or `null` when unknown. */
    readonly line: number | null,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('DATA_FILE_INVALID', `${file}${line === null ? '' : ` line ${line}`} ${reason}.`, options);
  }
}

/** Records of a data file and the line each starts on. */
export interface FileRecords {
  /** The parsed records, in file order (not yet validated). */
  records: unknown[];
  /** 1-based line where record i starts. */
  lines: number[];
}

/**
 * Parses the bytes of a data file (already decompressed) into records: a JSON array of records, or an
 * object holding one array such as `{ "data": [...] }`, or JSONL (one record a line; blank lines skipped).
 * The format follows the name's extension (`.jsonl` / `.ndjson`, before any `.gz` → JSONL), and a `.json`
 * text that is not one JSON value is read as JSONL. Browser-safe: `readRecords` (Node, a path) and
 * `readRecordsFrom` (a URL, a `File`, bytes) both end here.
 *
 * @throws {@link DataFileError} naming the file and line, for text that is not UTF-8 or not JSON.
 *
 * @example
 * ```ts
 * const { records } = parseRecords('prefs.jsonl', new TextEncoder().encode('{"prompt":"a"}\n'));
 * ```
 */
export function parseRecords(file: string, raw: Uint8Array): FileRecords {
  let text = decodeUtf8(file, raw);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const name = file.replace(/\.gz$/i, '');
  if (/\.(jsonl|ndjson)$/i.test(name)) return parseJsonLines(file, text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (/^\s*\{/.test(text) && text.trim().includes('\n')) return parseJsonLines(file, text);
    throw new DataFileError(
      file,
      lineOfPosition(text, error as Error),
      `is not valid JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let records: unknown = value;
  if (!Array.isArray(value) && typeof value === 'object' && value !== null) {
    const arrays = Object.values(value).filter(Array.isArray);
    if (arrays.length === 1) records = arrays[0];
  }
  if (!Array.isArray(records))
    throw new DataFileError(file, 1, 'must hold a JSON array of records (or be JSONL, one record a line)');
  return { records, lines: recordLines(text, records.length) };
}

/**
 * Decodes UTF-8 strictly (a fatal `TextDecoder`): invalid bytes are a {@link DataFileError} naming the
 * first line that holds them, instead of text silently altered with U+FFFD.
 */
function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const line = firstInvalidUtf8Line(bytes);
    throw new DataFileError(file, line, 'is not valid UTF-8 (save the file as UTF-8, or fix the bytes on that line)');
  }
}

/** The 1-based line of the first invalid UTF-8 sequence (lines split at byte 0x0A, which UTF-8 never uses inside a character). */
function firstInvalidUtf8Line(bytes: Uint8Array): number | null {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      start = i + 1;
      line++;
    }
  }
  return null;
}

function parseJsonLines(file: string, text: string): FileRecords {
  const records: unknown[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      throw new DataFileError(file, i + 1, `is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    lines.push(i + 1);
  });
  return { records, lines };
}

/** The line of the character position a JSON.parse message mentions, when it does. */
function lineOfPosition(text: string, error: Error): number | null {
  const m = /position (\d+)/.exec(error.message);
  if (!m) return null;
  return text.slice(0, Number(m[1])).split('\n').length;
}

/** Start line of each element of the outermost JSON array in `text` (a scan that skips strings). */
function recordLines(text: string, count: number): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let arrayDepth = -1; // depth inside the records array
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length && lines.length < count; i++) {
    const c = text[i] as string;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === arrayDepth && expectValue && !/\s/.test(c)) {
      lines.push(line);
      expectValue = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (c === '[' && arrayDepth < 0) {
        arrayDepth = depth;
        expectValue = true;
      }
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === arrayDepth) expectValue = true;
  }
  while (lines.length < count) lines.push(line);
  return lines;
}
