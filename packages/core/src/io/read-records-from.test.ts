import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFileError } from './parse-records.js';
import { readRecordsFrom } from './read-records-from.js';
import { readSourceText, SourceReadError } from './read-source.js';

const jsonl = '{"prompt":"a","chosen":"b","rejected":"c"}\n\n{"prompt":"d","chosen":"e","rejected":"f"}\n';
const bytes = new TextEncoder().encode(jsonl);

/** A fetch that serves one text at one URL and 404 elsewhere. */
function stubFetch(url: string, body: Uint8Array): typeof fetch {
  return (async (input: string | URL | Request) =>
    String(input) === url
      ? new Response(body as BodyInit, { status: 200 })
      : new Response('no', { status: 404 })) as typeof fetch;
}

describe('records from URLs, Files and bytes', () => {
  it('JSONL bytes, a gzipped File and a fetched JSON array give the records and their lines', async () => {
    const a = await readRecordsFrom(bytes);
    expect(a.records).toEqual([
      { prompt: 'a', chosen: 'b', rejected: 'c' },
      { prompt: 'd', chosen: 'e', rejected: 'f' },
    ]);
    expect(a.lines).toEqual([1, 3]);
    const b = await readRecordsFrom(new File([gzipSync(bytes)], 'prefs.jsonl.gz'), { limit: 1 });
    expect(b.records).toEqual([{ prompt: 'a', chosen: 'b', rejected: 'c' }]);
    const array = new TextEncoder().encode('{"data": [{"x": 1}, {"x": 2}]}');
    const c = await readRecordsFrom('http://127.0.0.1/d.json', { fetch: stubFetch('http://127.0.0.1/d.json', array) });
    expect(c.records).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('bad input names the source and the line', async () => {
    const bad = await readRecordsFrom(new TextEncoder().encode('{"a":1}\n{"a":\n'), { name: 'p.jsonl' }).catch(
      (e) => e,
    );
    expect(bad).toBeInstanceOf(DataFileError);
    expect((bad as DataFileError).line).toBe(2);
    expect((bad as Error).message).toMatch(/^p\.jsonl line 2 is not valid JSON/);
    const missing = await readSourceText('http://127.0.0.1/x.jsonl', stubFetch('http://127.0.0.1/y', bytes)).catch(
      (e) => e,
    );
    expect(missing).toBeInstanceOf(SourceReadError);
    expect((missing as Error).message).toBe('http://127.0.0.1/x.jsonl cannot be read: HTTP 404 (not found).');
    const notSource = await readSourceText(42 as unknown as string).catch((e) => e);
    expect((notSource as SourceReadError).code).toBe('SOURCE_UNREADABLE');
  });
});
