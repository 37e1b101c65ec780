/**
 * UTF-8 through the platform's `TextEncoder` / `TextDecoder` (global in browsers and in Node ≥ 11).
 * Declared locally because the package compiles against the ES library only (no DOM, no Node types).
 */
interface Utf8Decoder {
  decode(input: Uint8Array): string;
}
interface Utf8Encoder {
  encode(input: string): Uint8Array;
}
interface TextCodecs {
  TextDecoder: new (label: string, options?: { fatal?: boolean; ignoreBOM?: boolean }) => Utf8Decoder;
  TextEncoder: new () => Utf8Encoder;
}

const codecs = globalThis as unknown as TextCodecs;
const strictDecoder = new codecs.TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new codecs.TextEncoder();

/**
 * Decodes UTF-8 bytes; returns `undefined` (instead of replacing bytes) when they are not valid UTF-8.
 * A leading byte-order mark is kept as U+FEFF, not dropped.
 *
 * @example
 * ```ts
 * decodeUtf8Strict(new Uint8Array([0xc3, 0xa9])); // 'é'
 * decodeUtf8Strict(new Uint8Array([0xc3]));       // undefined
 * ```
 */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Encodes a string as UTF-8 (lone surrogates become U+FFFD, as `TextEncoder` does).
 *
 * @example
 * ```ts
 * encodeUtf8('é'); // Uint8Array [0xc3, 0xa9]
 * ```
 */
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}
