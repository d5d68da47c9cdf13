/**
 * The future values of a forecaster's related columns, editable (what-if): one row per
 * item and forecast step, one input per related column, and an "Every step" row that
 * sets a column at every step in one go.
 */
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { ForecastFuture } from '../api/types';
import { useTrans } from '../common/components';
import { FutureCells, IBadCell, setColumn } from './futureValues';

/** Rows shown at most (a longer future is edited with the client). */
export const MAX_FUTURE_ROWS = 500;

export function FutureValuesTable(props: {
  template: ForecastFuture;
  cells: FutureCells;
  onChange: (cells: FutureCells) => void;
  /** The first cell that is not a number (marked invalid). */
  bad: IBadCell | null;
}): JSX.Element {
  const trans = useTrans();
  const { template, cells, onChange, bad } = props;
  const [every, setEvery] = React.useState<Record<string, string>>({});
  const shown = template.future.slice(0, MAX_FUTURE_ROWS);
  const edit = (row: number, column: number, text: string) =>
    onChange(
      cells.map((values, i) =>
        i === row ? values.map((v, j) => (j === column ? text : v)) : values
      )
    );
  return (
    <div className="jp-Autopilot-tableScroll jp-AutopilotForecast-future">
      <table
        className="jp-Autopilot-table"
        aria-label={trans.__('Future values')}
      >
        <thead>
          <tr>
            <th scope="col">{trans.__('Item')}</th>
            <th scope="col">{trans.__('Timestamp')}</th>
            {template.related.map(column => (
              <th key={column} scope="col" className="jp-mod-numeric">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr className="jp-AutopilotForecast-every">
            <th scope="row" colSpan={2}>
              {trans.__('Every step')}
            </th>
            {template.related.map(column => (
              <td key={column}>
                <InputGroup
                  aria-label={trans.__('%1 at every step', column)}
                  placeholder={trans.__('set all')}
                  value={every[column] ?? ''}
                  onChange={e => {
                    const text = (e.target as HTMLInputElement).value;
                    setEvery({ ...every, [column]: text });
                    if (text.trim()) {
                      onChange(setColumn(template, cells, column, text));
                    }
                  }}
                />
              </td>
            ))}
          </tr>
          {shown.map((row, i) => (
            <tr key={i}>
              <td>{String(row.item_id)}</td>
              <td>{String(row.timestamp).replace('T00:00:00', '')}</td>
              {template.related.map((column, j) => {
                const invalid = bad?.row === i && bad.column === column;
                return (
                  <td key={column}>
                    <InputGroup
                      aria-label={trans.__(
                        '%1 of %2 at %3',
                        column,
                        String(row.item_id),
                        String(row.timestamp)
                      )}
                      aria-invalid={invalid || undefined}
                      className={invalid ? 'jp-mod-invalid' : undefined}
                      inputMode="decimal"
                      value={cells[i]?.[j] ?? ''}
                      onChange={e =>
                        edit(i, j, (e.target as HTMLInputElement).value)
                      }
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {template.future.length > MAX_FUTURE_ROWS && (
        <p className="jp-Autopilot-muted">
          {trans.__(
            'The first %1 of %2 rows: ask for fewer items, or send a longer future with the client (client.forecast_future).',
            MAX_FUTURE_ROWS,
            template.future.length
          )}
        </p>
      )}
    </div>
  );
}
