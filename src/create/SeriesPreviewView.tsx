/**
 * What the series preview found: the checks' errors (Create is blocked until they are
 * fixed), warnings and notes, the frequency and items, and a small line chart per item.
 */
import * as React from 'react';

import type { DataWarning, SeriesPreview } from '../api/types';
import { VegaChart } from '../common/charts/VegaChart';
import { ErrorMessage, Spinner, useTrans } from '../common/components';
import { seriesSmallMultiplesSpec } from './seriesChart';

export function SeriesPreviewView(props: {
  series: SeriesPreview | null;
  loading: boolean;
  /** The preview request failed (a 400 on a field shows under that field). */
  error: unknown;
  /** The column forecast (the chart's y axis). */
  target: string;
}): JSX.Element | null {
  const trans = useTrans();
  const { series } = props;
  const spec = React.useMemo(
    () =>
      series?.series?.length
        ? seriesSmallMultiplesSpec(series.series, {
            time: trans.__('Time'),
            value: props.target,
            oneSeries: trans.__('the series')
          })
        : null,
    [series, props.target, trans]
  );
  if (!series && !props.loading && !props.error) {
    return null;
  }
  const warnings = series?.warnings ?? [];
  const errors = warnings.filter(w => w.severity === 'error');
  const others = warnings.filter(w => w.severity !== 'error');
  return (
    <section
      className="jp-AutopilotCreate-series"
      aria-label={trans.__('Series preview')}
    >
      <h4>
        {trans.__('Series preview')} {props.loading && <Spinner />}
      </h4>
      {props.error ? (
        <ErrorMessage
          error={props.error}
          title={trans.__('The series could not be checked.')}
        />
      ) : null}
      {series && (
        <p className="jp-Autopilot-muted">
          {trans.__(
            '%1 items (%2 long enough for the horizon and backtest windows); frequency %3%4, season of %5 periods.',
            series.items,
            series.usable_items,
            series.frequency ?? '–',
            series.frequency_detected ? trans.__(' (detected)') : '',
            series.season
          )}
        </p>
      )}
      {errors.length > 0 && (
        <FindingList
          findings={errors}
          className="jp-Autopilot-fieldError"
          label={trans.__('Fix before creating:')}
        />
      )}
      {others.length > 0 && (
        <FindingList
          findings={others}
          className="jp-Autopilot-muted"
          label={trans.__('Notes:')}
        />
      )}
      {spec && (
        <div className="jp-Autopilot-chartBox">
          <VegaChart
            spec={spec}
            label={trans.__(
              '%1 over time for the %2 longest items',
              props.target,
              series?.series?.length ?? 0
            )}
            minHeight={(series?.series?.length ?? 1) * 80 + 40}
            errorText={trans.__('The chart could not be drawn.')}
          />
        </div>
      )}
    </section>
  );
}

function FindingList(props: {
  findings: readonly DataWarning[];
  className: string;
  label: string;
}): JSX.Element {
  return (
    <div className={props.className} role="list" aria-label={props.label}>
      <strong>{props.label}</strong>
      <ul>
        {props.findings.map((w, i) => (
          <li key={i} role="listitem">
            {w.message}
            {w.suggestion ? ` ${w.suggestion}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
