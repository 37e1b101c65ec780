/** The Markdown files of the guides: docs/*.md and docs/guides/*.md. */
export function guideFiles(): string[];
/** Every ```ts block of a Markdown text, with the line its code starts on (1-based). */
export function tsBlocks(markdown: string): { line: number; code: string }[];
/** Writes one module per block into snippets/ (emptied first) and returns their paths. */
export function extractSnippets(): string[];
/** docs/examples/snippets. */
export const snippetsDir: string;
