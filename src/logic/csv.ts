/**
 * CSV helpers for the Predict form: rows from the dataset sample, rows to send,
 * and parsing what the user pasted.
 */
import type { DatasetPreview } from '../api/types';

/** Quote a CSV field when it needs it (RFC 4180). */
export function csvField(
  value: string | null | undefined,
  delimiter = ','
): string {
  const text = value ?? '';
  if (
    text.includes('"') ||
    text.includes(delimiter) ||
    /[\r\n]/.test(text) ||
    /^\s|\s$/.test(text)
  ) {
    return `"${text.replace(/"/g, '""')}"`;
  }
  return text;
}

/** One CSV line (no newline) from values. */
export function toCsvRow(
  values: ReadonlyArray<string | null | undefined>,
  delimiter = ','
): string {
  return values.map(v => csvField(v, delimiter)).join(delimiter);
}

/** Parse CSV text into rows of fields (quotes, doubled quotes, CRLF; blank lines dropped). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const pushRow = () => {
    row.push(field);
    if (!(row.length === 1 && row[0].trim() === '')) {
      rows.push(row);
    }
    row = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      pushRow();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length) {
    pushRow();
  }
  return rows;
}

/** Guess the delimiter of pasted text: the most frequent of , ; tab | on the first line. */
export function guessDelimiter(text: string): string {
  const first = text.split(/\r?\n/).find(line => line.trim() !== '') ?? '';
  let best = ',';
  let bestCount = 0;
  for (const candidate of [',', ';', '\t', '|']) {
    const count = first.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

/** Whether the first row of pasted rows is a header naming the model's input columns. */
export function hasHeader(
  rows: string[][],
  inputColumns: readonly string[]
): boolean {
  if (!rows.length || !inputColumns.length) {
    return false;
  }
  const first = rows[0].map(v => v.trim());
  const known = first.filter(v => inputColumns.includes(v)).length;
  return known >= Math.max(1, Math.ceil(first.length / 2));
}

/** Row `index` of a preview as a record `{column: value}` (null = missing). */
export function previewRecord(
  preview: Pick<DatasetPreview, 'columns' | 'rows'>,
  index: number
): Record<string, string | null> {
  const record: Record<string, string | null> = {};
  const row = preview.rows[index] ?? [];
  preview.columns.forEach((column, i) => {
    record[column.name] = row[i] ?? null;
  });
  return record;
}

/** Values in the model's input order (missing -> ''), ready for `toCsvRow`. */
export function orderedValues(
  record: Record<string, string | null | undefined>,
  inputColumns: readonly string[]
): string[] {
  return inputColumns.map(name => record[name] ?? '');
}

/**
 * Pasted CSV normalised for the endpoint: the detected delimiter becomes commas;
 * with a header, columns are put in the model's input order and others (such as
 * the target) dropped. Returns the rows to show and the body to send.
 */
export function normalisePasted(
  text: string,
  inputColumns: readonly string[]
): { rows: string[][]; header: string[] | null; body: string } {
  const delimiter = guessDelimiter(text);
  const parsed = parseCsv(text, delimiter);
  if (hasHeader(parsed, inputColumns)) {
    const names = parsed[0].map(v => v.trim());
    const rows = parsed.slice(1).map(row => {
      const record: Record<string, string> = {};
      names.forEach((name, i) => {
        record[name] = row[i] ?? '';
      });
      return orderedValues(record, inputColumns);
    });
    const lines = rows.map(r => toCsvRow(r));
    return {
      rows,
      header: [...inputColumns],
      body: lines.join('\n') + (lines.length ? '\n' : '')
    };
  }
  const lines = parsed.map(r => toCsvRow(r));
  return {
    rows: parsed,
    header: null,
    body: lines.join('\n') + (lines.length ? '\n' : '')
  };
}
