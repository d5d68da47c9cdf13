/**
 * A forecasting experiment's settings: the forecast block, without the tabular settings
 * it does not use (a validation fraction of 0.2 it never had, "all" algorithms...).
 */
import * as React from 'react';

import { mountPoint } from '../../__tests__/dom';
import { experiment } from '../../__tests__/fixtures';
import { ExperimentSettings } from '../ExperimentFiles';
import { forecastSettings } from '../forecastSettings';

const dom = mountPoint();

const FORECAST = {
  timestamp: 'date',
  item_ids: ['store'],
  frequency: null,
  horizon: 6,
  quantiles: ['p10', 'p50', 'p90'],
  related: [],
  backtest_windows: 2,
  holiday_country: null as string | null
};

describe('a forecasting experiment’s settings', () => {
  it('lists the forecast block', () => {
    expect(forecastSettings({ forecast: FORECAST })).toEqual([
      ['Timestamp', 'date'],
      ['Item ids', 'store'],
      ['Frequency', 'detected'],
      ['Horizon', '6'],
      ['Quantiles', 'p10, p50, p90'],
      ['Related columns', 'none'],
      ['Backtest windows', '2'],
      ['Holiday calendar', 'none']
    ]);
    const chosen = forecastSettings({
      forecast: { ...FORECAST, backtest_windows: null, holiday_country: 'US' }
    });
    expect(chosen.slice(-2)).toEqual([
      ['Backtest windows', 'chosen by the job (see Candidate Definitions)'],
      ['Holiday calendar', 'US']
    ]);
    expect(forecastSettings({ forecast: null })).toEqual([]);
  });

  it('shows it instead of the tabular settings', () => {
    const tabular = experiment();
    const forecasting = experiment({
      problem_type: 'TimeSeriesForecasting',
      spec: {
        ...tabular.spec,
        problem_type: 'TimeSeriesForecasting',
        validation_fraction: null,
        forecast: FORECAST
      }
    });
    const terms = () =>
      Array.from(dom.container.querySelectorAll('dt')).map(t => t.textContent);
    dom.render(<ExperimentSettings experiment={forecasting} />);
    expect(terms()).toEqual(
      expect.arrayContaining(['Horizon', 'Backtest windows', 'Timestamp'])
    );
    expect(terms()).not.toContain('Validation fraction');
    expect(terms()).not.toContain('Algorithms');
    expect(terms()).not.toContain('Sample weights');
    dom.render(<ExperimentSettings experiment={tabular} />);
    expect(terms()).toContain('Validation fraction');
    expect(terms()).not.toContain('Horizon');
  });
});
