/** A cell's value; null and undefined are empty cells. */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, and tab or carriage return before one): such a cell gets a
 * leading apostrophe, which spreadsheets show as text and do not evaluate (OWASP, "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** Cells with these are quoted (RFC 4180, section 2). */
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: numbers and booleans as they are; text defused against formulas, then quoted where RFC 4180 requires. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record: its cells, then CRLF. */
export const csvLine = (cells: readonly CsvValue[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** A UTF-8 byte order mark, which spreadsheets (Excel) need to read non-ASCII text as UTF-8, and others ignore. */
export const CSV_BOM = '\uFEFF';

/** A CSV file as RFC 4180 describes it: the byte order mark, a header row, then one row per record, each line ending in CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return `${CSV_BOM}${csvLine(header)}${rows.map(csvLine).join('')}`;
}
