/** A plain-text table for people: left-aligned text, right-aligned numbers. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: readonly string[], source: ReadonlyArray<string | number>) =>
    row
      .map((cell, i) => (typeof source[i] === 'number' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(cells[0]!, headers), rule, ...cells.slice(1).map((row, i) => line(row, rows[i]!))].join('\n');
}
