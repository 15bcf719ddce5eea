/**
 * Plain-text tables for the terminal: columns padded to their widest cell; the first `leftColumns`
 * columns (labels) left-aligned, the rest (figures) right-aligned.
 */
export function renderTextTable(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < leftColumns ? c + ' '.repeat(widths[i]! - width(c)) : ' '.repeat(widths[i]! - width(c)) + c))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** Display width: counts code points, so "≥" and "×" take one column like the ASCII around them. */
function width(s: string): number {
  return [...s].length
}
