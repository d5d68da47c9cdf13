/**
 * The Predict section of a forecaster's endpoint: choose items (none: every item), ask
 * the endpoint (`{item_ids}` -> `forecasts`), see each item's recent history with the
 * forecast's mean and band, and the forecasts as a table.
 */
import { Button, InputGroup, runIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Endpoint, ExperimentSpec, SeriesPlot } from '../api/types';
import { VegaChart } from '../common/charts/VegaChart';
import {
  ButtonIcon,
  ErrorMessage,
  Field,
  Spinner,
  useTrans
} from '../common/components';
import { splitList } from '../create/validation';
import { AutopilotModel } from '../model';
import { forecastChartSpec, ForecastRow, quantileColumns } from './forecasts';

/** Rows of the table shown at most (the chart has every item asked). */
const MAX_TABLE_ROWS = 200;

export function ForecastForm(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  /** The experiment's spec (its forecast block, input file and target). */
  spec: ExperimentSpec;
}): JSX.Element {
  const trans = useTrans();
  const { endpoint, model, spec } = props;
  const forecast = spec.forecast;
  const [items, setItems] = React.useState('');
  const [history, setHistory] = React.useState<SeriesPlot[]>([]);
  const [running, setRunning] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const [rows, setRows] = React.useState<ForecastRow[] | null>(null);

  // The training file's series (the longest items) for the chart's history and as
  // example item ids; a forecast works without them.
  React.useEffect(() => {
    if (!forecast) {
      return;
    }
    let cancelled = false;
    model.client
      .previewDataset({
        uri: spec.input_uri,
        rows: 1,
        delimiter: spec.delimiter ?? null,
        target: spec.target,
        forecast
      })
      .then(
        preview => {
          if (!cancelled) {
            const series = preview.series?.series ?? [];
            setHistory(series);
            if (series.length && series[0].item_id) {
              setItems(i => i || series[0].item_id);
            }
          }
        },
        () => undefined
      );
    return () => {
      cancelled = true;
    };
  }, [model, spec, forecast]);

  const run = async () => {
    setRunning(true);
    setError(null);
    setRows(null);
    try {
      const ids = splitList(items);
      const response = await model.client.forecast(endpoint.name, {
        item_ids: ids.length ? ids : null,
        future: null
      });
      setRows((response.forecasts ?? []) as ForecastRow[]);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };

  const quantiles = rows ? quantileColumns(rows) : [];
  const chart = React.useMemo(
    () =>
      rows && rows.length
        ? forecastChartSpec(rows, history, {
            time: trans.__('Time'),
            value: spec.target,
            history: trans.__('History'),
            forecast: trans.__('Forecast')
          })
        : null,
    [rows, history, spec.target, trans]
  );
  const help = trans.__(
    'Comma-separated item ids (for example %1); empty: every item.',
    history
      .slice(0, 3)
      .map(s => s.item_id)
      .filter(Boolean)
      .join(', ') || 's0'
  );
  return (
    <div className="jp-AutopilotPredict jp-AutopilotForecast">
      <p className="jp-Autopilot-muted">
        {trans.__(
          'This endpoint forecasts %1 for %2 steps after each series’ end.',
          spec.target,
          forecast?.horizon ?? '–'
        )}
      </p>
      {forecast?.related?.length ? (
        <p className="jp-Autopilot-muted">
          {trans.__(
            'It needs the future values of %1: send them with the client (client.forecast) or a batch prediction.',
            forecast.related.join(', ')
          )}
        </p>
      ) : null}
      <Field
        id="jp-autopilot-forecast-items"
        label={trans.__('Items to forecast')}
        help={help}
      >
        <InputGroup
          id="jp-autopilot-forecast-items"
          value={items}
          aria-describedby="jp-autopilot-forecast-items-help"
          onChange={e => setItems((e.target as HTMLInputElement).value)}
        />
      </Field>
      <div className="jp-Autopilot-inline">
        <Button
          className="jp-Autopilot-primary"
          onClick={() => void run()}
          disabled={running || !!forecast?.related?.length}
        >
          {running ? <Spinner /> : <ButtonIcon icon={runIcon} />}
          {trans.__('Forecast')}
        </Button>
      </div>
      <ErrorMessage
        error={error}
        title={trans.__('The endpoint did not forecast.')}
      />
      {chart && (
        <div className="jp-Autopilot-chartBox jp-AutopilotForecast-chart">
          <VegaChart
            spec={chart}
            label={trans.__(
              'History and forecast of %1 per item, with the band from %2 to %3',
              spec.target,
              quantiles[0] ?? '–',
              quantiles[quantiles.length - 1] ?? '–'
            )}
            minHeight={140}
            errorText={trans.__('The chart could not be drawn.')}
          />
        </div>
      )}
      {rows && (
        <div className="jp-Autopilot-tableScroll">
          <table
            className="jp-Autopilot-table"
            aria-label={trans.__('Forecasts')}
          >
            <thead>
              <tr>
                <th scope="col">{trans.__('Item')}</th>
                <th scope="col">{trans.__('Timestamp')}</th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Mean')}
                </th>
                {quantiles.map(q => (
                  <th key={q} scope="col" className="jp-mod-numeric">
                    {q}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_TABLE_ROWS).map((row, i) => (
                <tr key={i}>
                  <td>{String(row.item_id)}</td>
                  <td>{String(row.timestamp)}</td>
                  <td className="jp-mod-numeric">{number(row.mean)}</td>
                  {quantiles.map(q => (
                    <td key={q} className="jp-mod-numeric">
                      {number(row[q])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > MAX_TABLE_ROWS && (
            <p className="jp-Autopilot-muted">
              {trans.__(
                'The first %1 of %2 rows.',
                MAX_TABLE_ROWS,
                rows.length
              )}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** A forecast value with four significant digits ('–' when missing). */
function number(value: string | number | null | undefined): string {
  return typeof value === 'number' && isFinite(value)
    ? value.toLocaleString(undefined, { maximumSignificantDigits: 4 })
    : '–';
}
