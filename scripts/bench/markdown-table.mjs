// Tables printed as Markdown, so that what `pnpm bench` prints can go into docs/benchmarks.md as it is.

/** `columns`: `[{ title, value(row), align: 'right' }]`. */
export function markdownTable(columns, rows) {
  const cells = rows.map((row) => columns.map((column) => String(column.value(row) ?? '—')));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, 3, ...cells.map((line) => line[index].length)),
  );
  const pad = (text, index) =>
    columns[index].align === 'right' ? text.padStart(widths[index]) : text.padEnd(widths[index]);
  const line = (texts) => `| ${texts.map(pad).join(' | ')} |`;
  const rule = `| ${widths.map((width, index) => (columns[index].align === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(columns.map((column) => column.title)), rule, ...cells.map(line)].join('\n');
}
