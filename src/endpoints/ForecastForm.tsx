/**
 * The Predict section of a forecaster's endpoint: choose items (none: every item), ask
 * the endpoint (`{item_ids}` -> `forecasts`), see each item's recent history with the
 * forecast's mean and band, and the forecasts as a table. A forecaster with related
 * columns needs their future values: the endpoint proposes them (each item's last known
 * value), the person edits them (what-if), and the next forecast is drawn against the
 * previous one.
 */
import { Button, InputGroup, runIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  Endpoint,
  ExperimentSpec,
  ForecastFuture,
  SeriesPlot
} from '../api/types';
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
import {
  forecastChartSpec,
  ForecastRow,
  meanChange,
  quantileColumns
} from './forecasts';
import { FutureCells, futureRows, initialCells } from './futureValues';
import { FutureValuesTable } from './FutureValuesTable';

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
  // The forecast before the latest one, for the chart to compare (what-if).
  const [before, setBefore] = React.useState<ForecastRow[]>([]);
  const [template, setTemplate] = React.useState<ForecastFuture | null>(null);
  const [templateItems, setTemplateItems] = React.useState('');
  const [cells, setCells] = React.useState<FutureCells>([]);
  const [loadingFuture, setLoadingFuture] = React.useState(false);
  // Each load starts the table afresh (its "Every step" inputs too).
  const [loads, setLoads] = React.useState(0);
  const related = forecast?.related ?? [];
  const canFill =
    related.length > 0 && !model.notImplemented('forecast_future');
  const itemKey = splitList(items).join(',');
  const future = template ? futureRows(template, cells) : null;

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

  const loadFuture = async () => {
    setLoadingFuture(true);
    setError(null);
    try {
      const proposed = await model.client.forecastFuture(
        endpoint.name,
        splitList(items)
      );
      setTemplate(proposed);
      setTemplateItems(itemKey);
      setCells(initialCells(proposed));
      setLoads(n => n + 1);
    } catch (e) {
      setError(e);
    } finally {
      setLoadingFuture(false);
    }
  };

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      const ids = splitList(items);
      const response = await model.client.forecast(endpoint.name, {
        item_ids: ids.length ? ids : null,
        future: related.length && future ? future.rows : null
      });
      const previous = rows;
      setRows((response.forecasts ?? []) as ForecastRow[]);
      setBefore(previous ?? []);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  // A forecast with related columns needs their future values, for the items asked.
  const futureReady =
    !related.length ||
    (template !== null && templateItems === itemKey && !future?.bad);

  const quantiles = rows ? quantileColumns(rows) : [];
  const chart = React.useMemo(
    () =>
      rows && rows.length
        ? forecastChartSpec(
            rows,
            history,
            {
              time: trans.__('Time'),
              value: spec.target,
              history: trans.__('History'),
              forecast: trans.__('Forecast'),
              before: trans.__('Previous forecast')
            },
            before
          )
        : null,
    [rows, before, history, spec.target, trans]
  );
  const change = rows && before.length ? meanChange(before, rows) : null;
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
      {related.length ? (
        <p className="jp-Autopilot-muted">
          {canFill
            ? trans.__(
                'It needs the future values of %1: load them for the items (each starts at its last known value), change them and forecast again to see what they do.',
                related.join(', ')
              )
            : trans.__(
                'It needs the future values of %1: send them with the client (client.forecast) or a batch prediction.',
                related.join(', ')
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
      {canFill && template && templateItems === itemKey && (
        <FutureValuesTable
          key={loads}
          template={template}
          cells={cells}
          onChange={setCells}
          bad={future?.bad ?? null}
        />
      )}
      {canFill && template && future?.bad && templateItems === itemKey && (
        <p className="jp-Autopilot-fieldError" role="alert">
          {trans.__(
            'Enter a number for %1 of %2 at %3.',
            future.bad.column,
            String(template.future[future.bad.row].item_id),
            String(template.future[future.bad.row].timestamp)
          )}
        </p>
      )}
      <div className="jp-Autopilot-inline">
        {canFill && (
          <Button
            onClick={() => void loadFuture()}
            disabled={loadingFuture || running}
          >
            {loadingFuture && <Spinner />}
            {template && templateItems === itemKey
              ? trans.__('Reset future values')
              : trans.__('Load future values')}
          </Button>
        )}
        <Button
          className="jp-Autopilot-primary"
          onClick={() => void run()}
          disabled={running || (related.length > 0 && !canFill) || !futureReady}
          title={
            futureReady
              ? undefined
              : trans.__('Load the future values of these items first.')
          }
        >
          {running ? <Spinner /> : <ButtonIcon icon={runIcon} />}
          {trans.__('Forecast')}
        </Button>
      </div>
      <ErrorMessage
        error={error}
        title={trans.__('The endpoint did not forecast.')}
      />
      {change && (
        <p className="jp-AutopilotForecast-change" role="status">
          {trans.__(
            'Against the previous forecast: the mean of %1 steps moved by %2 (%3).',
            change.steps,
            signed(change.delta),
            change.percent === null ? '–' : `${signed(change.percent)}%`
          )}
        </p>
      )}
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

/** A change with its sign and four significant digits. */
function signed(value: number): string {
  const text = Math.abs(value).toLocaleString(undefined, {
    maximumSignificantDigits: 4
  });
  return `${value < 0 ? '−' : '+'}${text}`;
}

/** A forecast value with four significant digits ('–' when missing). */
function number(value: string | number | null | undefined): string {
  return typeof value === 'number' && isFinite(value)
    ? value.toLocaleString(undefined, { maximumSignificantDigits: 4 })
    : '–';
}
