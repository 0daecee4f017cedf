import { stringify } from 'csv-stringify/sync'

/**
 * A cell safe to open in a spreadsheet: text starting with = + - @, tab or carriage return is
 * prefixed with an apostrophe so it is never run as a formula. Numbers stay numbers.
 */
export function safeCell(value: unknown): string | number {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return value
  const text = value instanceof Date ? value.toISOString() : String(value)
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return stringify([header.map(safeCell), ...rows.map((row) => row.map(safeCell))], {
    record_delimiter: '\r\n',
  })
}
