/**
 * The forecasting form's series preview: when it is asked, what its answer means for
 * Create (errors block, warnings do not, a 400 lands under its field), and its chart.
 */
import { AutopilotAPIError } from '../../api/request';
import type { SeriesPreview } from '../../api/types';
import { emptyForm } from '../form';
import { seriesPoints, seriesSmallMultiplesSpec } from '../seriesChart';
import { seriesErrors, seriesRequest } from '../seriesState';
import type { ISeriesPreviewState } from '../useSeriesPreview';
import { firstStepWithErrors, validateForm } from '../validation';

const COLUMNS = ['date', 'store', 'sales'];

function form(partial = {}) {
  return emptyForm({
    input_uri: 'sales.csv',
    target: 'sales',
    name: 'sales-forecast',
    problem_type: 'TimeSeriesForecasting',
    'forecast.timestamp': 'date',
    'forecast.item_ids': ['store'],
    'forecast.horizon': '6',
    ...partial
  });
}

function ask(partial = {}) {
  const f = form(partial);
  const errors = validateForm(f, {
    columns: COLUMNS,
    s3: false,
    metricsByProblemType: {}
  });
  return seriesRequest(f, COLUMNS, errors);
}

const SERIES: SeriesPreview = {
  frequency: 'MS',
  frequency_detected: true,
  items: 3,
  usable_items: 3,
  season: 12,
  series: [
    {
      item_id: 's2',
      length: 3,
      timestamps: ['2018-01-01', '2018-02-01', '2018-03-01'],
      values: [180, null, 190]
    },
    {
      item_id: 's0',
      length: 2,
      timestamps: ['2018-01-01', '2018-02-01'],
      values: [100, 101]
    }
  ],
  warnings: [
    {
      code: 'missing_periods',
      column: null,
      message: 'Item s2 misses 1 period; filled.',
      severity: 'warning',
      suggestion: null
    }
  ]
};

function answered(
  request: ReturnType<typeof ask>,
  partial: Partial<ISeriesPreviewState>
): ISeriesPreviewState {
  return {
    series: null,
    error: null,
    loading: false,
    key: JSON.stringify(request),
    ...partial
  };
}

describe('the series preview request', () => {
  it('is the file, target and forecast block of a valid forecasting form', () => {
    expect(ask()).toEqual({
      uri: 'sales.csv',
      delimiter: '',
      target: 'sales',
      forecast: {
        timestamp: 'date',
        item_ids: ['store'],
        frequency: null,
        horizon: 6,
        quantiles: ['p10', 'p50', 'p90'],
        related: [],
        backtest_windows: null,
        holiday_country: null
      }
    });
  });

  it('waits for valid forecast fields, a previewed file and the forecasting type', () => {
    expect(ask({ 'forecast.horizon': '' })).toBeNull();
    expect(ask({ 'forecast.timestamp': '' })).toBeNull();
    expect(ask({ 'forecast.quantiles': 'p0' })).toBeNull();
    expect(ask({ problem_type: 'regression' })).toBeNull();
    const f = form();
    expect(seriesRequest(f, null, {})).toBeNull();
    // A problem in another step's field does not hold it back.
    expect(seriesRequest(f, COLUMNS, { name: 'Enter a name.' })).not.toBeNull();
  });
});

describe('what the series preview means for Create', () => {
  it('blocks Create on the checks’ errors, not on warnings', () => {
    const request = ask();
    expect(
      seriesErrors(answered(request, { series: SERIES }), request)
    ).toEqual({});
    const refused = {
      ...SERIES,
      usable_items: 0,
      warnings: [
        ...(SERIES.warnings ?? []),
        {
          code: 'too_short',
          column: null,
          message: 'Every item is too short for a horizon of 60 and 1 window.',
          severity: 'error' as const,
          suggestion: null
        }
      ]
    };
    const errors = seriesErrors(
      answered(request, { series: refused }),
      request
    );
    expect(errors.forecast).toBe(
      'The data cannot be forecast as set: Every item is too short for a horizon of 60 and 1 window.'
    );
    // Create goes back to the target step, where the forecast section is.
    expect(firstStepWithErrors(errors)).toBe('target');
  });

  it('puts a 400 under its field', () => {
    const request = ask({ 'forecast.frequency': 'QQ' });
    const error = new AutopilotAPIError(400, 'invalid_request', 'bad', [
      {
        field: 'body.forecast.frequency',
        message: "Value error, 'QQ' is not a frequency"
      }
    ]);
    expect(seriesErrors(answered(request, { error }), request)).toEqual({
      'forecast.frequency': "'QQ' is not a frequency"
    });
  });

  it('ignores an answer to older fields and server failures', () => {
    const request = ask();
    const older = ask({ 'forecast.horizon': '60' });
    const refused = {
      ...SERIES,
      warnings: [
        {
          code: 'too_short',
          column: null,
          message: 'too short',
          severity: 'error' as const,
          suggestion: null
        }
      ]
    };
    expect(seriesErrors(answered(older, { series: refused }), request)).toEqual(
      {}
    );
    const failed = new AutopilotAPIError(500, 'internal', '');
    expect(seriesErrors(answered(request, { error: failed }), request)).toEqual(
      {}
    );
  });
});

describe('the series chart', () => {
  it('draws one small chart per item, in the server’s order, gaps left out', () => {
    const texts = { time: 'Time', value: 'sales', oneSeries: 'the series' };
    expect(seriesPoints(SERIES.series ?? [], texts)).toEqual([
      { item: 's2', timestamp: '2018-01-01', value: 180 },
      { item: 's2', timestamp: '2018-03-01', value: 190 },
      { item: 's0', timestamp: '2018-01-01', value: 100 },
      { item: 's0', timestamp: '2018-02-01', value: 101 }
    ]);
    const spec = seriesSmallMultiplesSpec(SERIES.series ?? [], texts) as any;
    expect(spec.facet.row.sort).toEqual(['s2', 's0']);
    expect(spec.resolve.scale.y).toBe('independent');
    expect(spec.spec.encoding.x.type).toBe('temporal');
    // A file that is one series has an empty item id.
    expect(
      seriesPoints([{ ...SERIES.series![1], item_id: '' }], texts)[0].item
    ).toBe('the series');
  });
});
