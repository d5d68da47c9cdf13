import * as React from 'react';

import type { ColumnSummary, DatasetPreview } from '../api/types';
import { formatBytes, formatCount, formatPercent } from '../format';
import { useTrans } from './components';

/** A delimiter as words ("semicolon"). */
export function delimiterName(
  delimiter: string,
  trans: { __: (s: string) => string }
): string {
  switch (delimiter) {
    case ',':
      return trans.__('comma');
    case ';':
      return trans.__('semicolon');
    case '\t':
      return trans.__('tab');
    case '|':
      return trans.__('pipe');
    default:
      return `"${delimiter}"`;
  }
}

/** The column's type as a short label. */
export function TypeTag(props: { column: ColumnSummary }): JSX.Element {
  const trans = useTrans();
  const labels: Record<string, string> = {
    numeric: trans.__('numeric'),
    categorical: trans.__('categorical'),
    boolean: trans.__('boolean'),
    datetime: trans.__('date/time'),
    text: trans.__('text'),
    id: trans.__('identifier'),
    constant: trans.__('constant')
  };
  return (
    <span
      className={`jp-Autopilot-typeTag jp-mod-${props.column.inferred_type}`}
    >
      {labels[props.column.inferred_type] ?? props.column.inferred_type}
    </span>
  );
}

/** "41,188 rows · 21 columns · semicolon-separated · 5.6 MB". */
export function PreviewSummary(props: {
  preview: DatasetPreview;
}): JSX.Element {
  const trans = useTrans();
  const p = props.preview;
  const parts = [
    p.total_rows !== null && p.total_rows !== undefined
      ? trans.__('%1 rows', formatCount(p.total_rows))
      : trans.__('%1+ rows scanned', formatCount(p.rows_scanned)),
    trans.__('%1 columns', p.columns.length),
    trans.__('%1-separated', delimiterName(p.delimiter, trans)),
    p.has_header ? trans.__('with header') : trans.__('no header row'),
    p.compression !== 'none' ? p.compression : '',
    formatBytes(p.size_bytes)
  ].filter(Boolean);
  return <p className="jp-Autopilot-previewSummary">{parts.join(' · ')}</p>;
}

/**
 * The first rows of a dataset with each column's detected type and missing
 * values in the header. `highlight` marks the target column; `dimmed` the
 * excluded ones.
 */
export function PreviewTable(props: {
  preview: DatasetPreview;
  highlight?: string;
  dimmed?: readonly string[];
  maxRows?: number;
  /** When set, rows can be chosen (radio buttons), e.g. to fill the predict form. */
  selectedRow?: number | null;
  onSelectRow?: (index: number) => void;
  caption?: string;
}): JSX.Element {
  const trans = useTrans();
  const { preview } = props;
  const rows = preview.rows.slice(0, props.maxRows ?? 10);
  const selectable = !!props.onSelectRow;
  return (
    <div
      className="jp-Autopilot-tableScroll"
      tabIndex={0}
      aria-label={props.caption}
    >
      <table className="jp-Autopilot-table jp-Autopilot-previewTable">
        {props.caption && (
          <caption className="jp-Autopilot-srOnly">{props.caption}</caption>
        )}
        <thead>
          <tr>
            {selectable && (
              <th scope="col">
                <span className="jp-Autopilot-srOnly">
                  {trans.__('Choose')}
                </span>
              </th>
            )}
            <th scope="col" className="jp-Autopilot-rowNumber">
              #
            </th>
            {preview.columns.map(column => (
              <th
                key={column.name}
                scope="col"
                className={[
                  column.name === props.highlight ? 'jp-mod-target' : '',
                  props.dimmed?.includes(column.name) ? 'jp-mod-dimmed' : ''
                ].join(' ')}
                title={trans.__(
                  '%1: %2 (%3), %4 distinct, %5 missing',
                  column.name,
                  column.inferred_type,
                  column.dtype,
                  column.unique_count,
                  column.missing_count
                )}
              >
                <div className="jp-Autopilot-colName">{column.name}</div>
                <div className="jp-Autopilot-colMeta">
                  <TypeTag column={column} />
                  {column.missing_count > 0 && (
                    <span className="jp-Autopilot-missing">
                      {trans.__(
                        '%1 missing',
                        formatPercent(column.missing_fraction, 1)
                      )}
                    </span>
                  )}
                </div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr
              key={r}
              className={
                props.selectedRow === r ? 'jp-mod-selected' : undefined
              }
              onClick={selectable ? () => props.onSelectRow?.(r) : undefined}
            >
              {selectable && (
                <td>
                  <input
                    type="radio"
                    name="jp-autopilot-sample-row"
                    aria-label={trans.__('Use row %1', r + 1)}
                    checked={props.selectedRow === r}
                    onChange={() => props.onSelectRow?.(r)}
                  />
                </td>
              )}
              <td className="jp-Autopilot-rowNumber">{r + 1}</td>
              {preview.columns.map((column, c) => {
                const value = row[c];
                return (
                  <td
                    key={column.name}
                    className={[
                      value === null || value === undefined
                        ? 'jp-mod-missing'
                        : '',
                      column.name === props.highlight ? 'jp-mod-target' : '',
                      props.dimmed?.includes(column.name)
                        ? 'jp-mod-dimmed'
                        : '',
                      column.inferred_type === 'numeric' ? 'jp-mod-numeric' : ''
                    ].join(' ')}
                  >
                    {value === null || value === undefined
                      ? trans.__('missing')
                      : value}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
