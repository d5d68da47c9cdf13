/**
 * The future values a forecaster with related columns needs (what-if): the rows the
 * endpoint proposes (`GET .../future`: each step's timestamp, each related column at the
 * item's last known value), the person's edits as text, and the `future` rows they make.
 * Pure functions.
 */
import type { ForecastFuture } from '../api/types';

/** One proposed or edited row: item_id, timestamp and the related columns. */
export type FutureRow = Record<string, string | number | null>;

/** The text of every editable cell, by row then related column. */
export type FutureCells = string[][];

/** The cells of the proposed rows, as the inputs show them. */
export function initialCells(template: ForecastFuture): FutureCells {
  return template.future.map(row =>
    template.related.map(column => {
      const value = row[column];
      return value === null || value === undefined ? '' : String(value);
    })
  );
}

/** A cell that is not a number, for the form to point at. */
export interface IBadCell {
  row: number;
  column: string;
}

/**
 * The `future` rows for the request, the edited cells read as numbers; or the first
 * cell that is empty or not a finite number.
 */
export function futureRows(
  template: ForecastFuture,
  cells: FutureCells
): { rows: FutureRow[]; bad: IBadCell | null } {
  const rows: FutureRow[] = [];
  for (let i = 0; i < template.future.length; i++) {
    const row: FutureRow = {
      item_id: String(template.future[i].item_id),
      timestamp: String(template.future[i].timestamp)
    };
    for (let j = 0; j < template.related.length; j++) {
      const text = (cells[i]?.[j] ?? '').trim();
      const value = Number(text);
      if (!text || !isFinite(value)) {
        return { rows: [], bad: { row: i, column: template.related[j] } };
      }
      row[template.related[j]] = value;
    }
    rows.push(row);
  }
  return { rows, bad: null };
}

/** `cells` with every value of one related column set to `text` (a what-if in one go). */
export function setColumn(
  template: ForecastFuture,
  cells: FutureCells,
  column: string,
  text: string
): FutureCells {
  const j = template.related.indexOf(column);
  return cells.map(row => row.map((cell, k) => (k === j ? text : cell)));
}
