/**
 * The target step's forecast section (problem type "Time-series forecasting"): the
 * timestamp column, the item-id and related columns, frequency, horizon, quantiles and
 * backtest windows. Each input is bound to its `forecast.<field>` form field, so the
 * server's 400 on `forecast.horizon` shows under the horizon.
 */
import { HTMLSelect, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { describedBy, Field, useTrans } from '../common/components';
import { FormField, IExperimentForm, relatedColumnsOffered } from './form';
import { FormInputField } from './FormInputField';
import { SeriesPreviewView } from './SeriesPreviewView';
import { fieldId, inputProps, IStepProps } from './stepProps';

/** Form fields holding a list of columns. */
type ColumnListField = 'forecast.item_ids' | 'forecast.related';

export function ForecastFields(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const f = p.form;
  const s3 = p.health.features.s3;
  const series = p.seriesPreview?.series ?? null;
  const columns = (p.preview?.columns ?? []).filter(c => c.name !== f.target);
  const timestamp = f['forecast.timestamp'];
  const timestampHelp = trans.__('The column of dates or times.');
  const detected =
    series?.frequency && series.frequency_detected ? series.frequency : null;
  const frequencyHelp = detected
    ? trans.__(
        'Detected: %1 (season of %2 periods). Leave empty to use it.',
        detected,
        series?.season ?? 1
      )
    : trans.__(
        'A pandas frequency: D daily, W-SUN weekly, MS monthly, h hourly, 15min. Empty: detected from the timestamps.'
      );
  const toggle = (field: ColumnListField, name: string, on: boolean) => {
    const current = f[field];
    const next = on
      ? [...current.filter(c => c !== name), name]
      : current.filter(c => c !== name);
    p.update({ [field]: next } as Partial<IExperimentForm>);
    p.touch(field);
  };
  const columnList = (
    field: ColumnListField,
    label: string,
    help: string,
    offered: string[]
  ) => (
    <fieldset
      className="jp-Autopilot-fieldset"
      id={fieldId(field)}
      tabIndex={-1}
      aria-describedby={describedBy(fieldId(field), help, p.errorOf(field))}
    >
      <legend>{label}</legend>
      {p.preview ? (
        <div className="jp-Autopilot-inline">
          {offered.map(name => (
            <label key={name} className="jp-Autopilot-checkbox">
              <input
                type="checkbox"
                checked={f[field].includes(name)}
                onChange={e => toggle(field, name, e.target.checked)}
              />{' '}
              {name}
            </label>
          ))}
          {!offered.length && (
            <span className="jp-Autopilot-muted">
              {trans.__('No other columns.')}
            </span>
          )}
        </div>
      ) : (
        <InputGroup
          value={f[field].join(', ')}
          aria-label={label}
          placeholder={trans.__('Comma-separated column names')}
          onChange={e =>
            p.update({
              [field]: (e.target as HTMLInputElement).value
                .split(',')
                .map(s => s.trim())
                .filter(Boolean)
            } as Partial<IExperimentForm>)
          }
        />
      )}
      <div id={`${fieldId(field)}-help`} className="jp-Autopilot-fieldHelp">
        {help}
      </div>
      <div
        id={`${fieldId(field)}-error`}
        className="jp-Autopilot-fieldError"
        aria-live="polite"
      >
        {p.errorOf(field) ?? ''}
      </div>
    </fieldset>
  );
  const names = columns.map(c => c.name).filter(n => n !== timestamp);
  const itemIds = f['forecast.item_ids'];
  const related = f['forecast.related'];
  const relatedOffered = relatedColumnsOffered(
    columns,
    related,
    timestamp,
    itemIds
  );
  const blockError = p.errorOf('forecast' as FormField);

  return (
    <fieldset
      className="jp-Autopilot-fieldset jp-AutopilotCreate-forecast"
      id={fieldId('forecast')}
      tabIndex={-1}
    >
      <legend>{trans.__('Forecast')}</legend>
      {blockError && (
        <div className="jp-Autopilot-fieldError" aria-live="polite">
          {blockError}
        </div>
      )}
      <div className="jp-Autopilot-grid3">
        <Field
          id={fieldId('forecast.timestamp')}
          label={trans.__('Timestamp column')}
          help={timestampHelp}
          error={p.errorOf('forecast.timestamp')}
          required
        >
          {p.preview ? (
            <HTMLSelect
              id={fieldId('forecast.timestamp')}
              value={timestamp}
              aria-invalid={p.errorOf('forecast.timestamp') ? true : undefined}
              aria-required={true}
              aria-describedby={describedBy(
                fieldId('forecast.timestamp'),
                timestampHelp,
                p.errorOf('forecast.timestamp')
              )}
              className={
                p.errorOf('forecast.timestamp') ? 'jp-mod-error' : undefined
              }
              onChange={e => {
                const value = e.target.value;
                // The timestamp leaves the other roles.
                p.update({
                  'forecast.timestamp': value,
                  'forecast.item_ids': itemIds.filter(c => c !== value),
                  'forecast.related': related.filter(c => c !== value)
                });
                p.touch('forecast.timestamp');
              }}
              options={[
                { value: '', label: trans.__('Choose a column…') },
                ...columns.map(c => ({ value: c.name, label: c.name }))
              ]}
            />
          ) : (
            <InputGroup
              {...inputProps(p, 'forecast.timestamp', timestampHelp)}
              placeholder="date"
            />
          )}
        </Field>
        <FormInputField
          p={p}
          name="forecast.horizon"
          label={trans.__('Forecast horizon (steps)')}
          help={trans.__('Periods to forecast after each series’ end.')}
          placeholder="14"
          inputMode="numeric"
          required
        />
        <FormInputField
          p={p}
          name="forecast.frequency"
          label={trans.__('Frequency')}
          help={frequencyHelp}
          placeholder={detected ?? trans.__('detect')}
        />
        <FormInputField
          p={p}
          name="forecast.quantiles"
          label={trans.__('Quantiles')}
          help={trans.__(
            'Up to 5 whole percents (p1–p99); the mean is always forecast too.'
          )}
          placeholder="p10, p50, p90"
        />
        {/* SageMaker Autopilot chooses its own backtest windows. */}
        {!s3 && (
          <FormInputField
            p={p}
            name="forecast.backtest_windows"
            label={trans.__('Backtest windows')}
            help={trans.__(
              'Windows of one horizon at the end of each series on which every candidate is scored (1–5). Empty: the job chooses, up to 3, as many as the history and the budget allow.'
            )}
            placeholder={trans.__('auto')}
            inputMode="numeric"
          />
        )}
        <FormInputField
          p={p}
          name="forecast.holiday_country"
          label={trans.__('Holiday calendar')}
          help={trans.__(
            "A country's public holidays as features (two-letter code: US, GB, DE, JP…), known for every future date. Empty: none."
          )}
          placeholder={trans.__('none')}
        />
      </div>
      {columnList(
        'forecast.item_ids',
        s3
          ? trans.__('Item-id columns')
          : trans.__('Item-id columns (optional)'),
        s3
          ? trans.__(
              'Columns that together name a series (store, product…). SageMaker needs at least one: the first is the item id, the others group it.'
            )
          : trans.__(
              'Columns that together name a series (store, product…). None: the file is one series.'
            ),
        names.filter(n => !related.includes(n))
      )}
      {columnList(
        'forecast.related',
        trans.__('Related columns (optional)'),
        trans.__(
          'Numeric columns known in advance (prices, promotions, holidays): you give their future values when forecasting.'
        ),
        relatedOffered
      )}
      {p.seriesPreview && (
        <SeriesPreviewView
          series={p.seriesPreview.series}
          loading={p.seriesPreview.loading}
          error={p.seriesPreview.error}
          target={f.target}
        />
      )}
    </fieldset>
  );
}
