/**
 * Rows of cells as a plain-text table: a header, a rule, then the rows, columns padded to their widest
 * cell (right-aligned where `rightAligned(column)` says so), trailing spaces trimmed.
 *
 * @example
 * ```ts
 * textTable(['benchmark', 'ratio'], [['llama-train-step', '1.69×']], (i) => i > 0);
 * ```
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: (column: number) => boolean,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAligned(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
