/**
 * The forecasting form: its fields' validation, the spec it builds (the forecast block,
 * the tabular-only settings left out), a spec read back, and the server's
 * `forecast.<field>` 400s mapped to their fields.
 */
import { AutopilotAPIError } from '../../api/request';
import { fieldErrors, topLevelField } from '../../logic/errors';
import {
  buildForecast,
  buildSpec,
  emptyForm,
  formFromSpec,
  IValidationContext,
  relatedColumnsOffered
} from '../form';
import { PROBLEM_TYPES, problemTypesOffered } from '../labels';
import { errorsOfStep, forecastProblems, validateForm } from '../validation';
import { wizardReducer, initialWizardState } from '../wizardState';

const LOCAL: IValidationContext = {
  columns: ['date', 'store', 'price', 'sales'],
  s3: false,
  metricsByProblemType: {
    TimeSeriesForecasting: ['AverageWeightedQuantileLoss', 'WAPE', 'MASE']
  }
};

function forecastForm(partial = {}) {
  return emptyForm({
    input_uri: 'sales.csv',
    target: 'sales',
    name: 'sales-forecast',
    problem_type: 'TimeSeriesForecasting',
    'forecast.timestamp': 'date',
    'forecast.horizon': '14',
    ...partial
  });
}

describe('the forecasting form', () => {
  it('is offered as a problem type where the backend runs it', () => {
    expect(PROBLEM_TYPES).toContain('TimeSeriesForecasting');
    expect(problemTypesOffered(true, 'auto')).toContain(
      'TimeSeriesForecasting'
    );
    // SageMaker refuses forecasting for now: not offered...
    expect(problemTypesOffered(false, 'auto')).toEqual([
      'auto',
      'binary',
      'multiclass',
      'regression'
    ]);
    // ...unless a copied spec holds it (the server's answer then says why not).
    expect(problemTypesOffered(false, 'TimeSeriesForecasting')).toContain(
      'TimeSeriesForecasting'
    );
  });

  it('is valid with a timestamp and a horizon, defaults filled in', () => {
    expect(validateForm(forecastForm(), LOCAL)).toEqual({});
    expect(buildForecast(forecastForm())).toEqual({
      timestamp: 'date',
      item_ids: [],
      frequency: null,
      horizon: 14,
      quantiles: ['p10', 'p50', 'p90'],
      related: [],
      // Left empty: the job chooses how many.
      backtest_windows: null,
      holiday_country: null
    });
    expect(
      formFromSpec(buildSpec(forecastForm(), LOCAL))[
        'forecast.backtest_windows'
      ]
    ).toBe('');
  });

  it('builds the forecast block and leaves the tabular settings out', () => {
    const form = forecastForm({
      'forecast.item_ids': ['store'],
      'forecast.related': ['price'],
      'forecast.frequency': ' W-SUN ',
      'forecast.quantiles': 'p5 p50, p95',
      'forecast.backtest_windows': '3',
      'forecast.holiday_country': ' jp ',
      // Left over from a tabular choice, hidden for forecasting.
      sample_weight: 'price',
      algorithms: ['xgboost'],
      exclude_columns: ['store'],
      validation_source: 'file',
      validation_file: 'valid.csv'
    });
    expect(validateForm(form, LOCAL)).toEqual({});
    const spec = buildSpec(form, LOCAL);
    expect(spec.problem_type).toBe('TimeSeriesForecasting');
    expect(spec.forecast).toEqual({
      timestamp: 'date',
      item_ids: ['store'],
      frequency: 'W-SUN',
      horizon: 14,
      quantiles: ['p5', 'p50', 'p95'],
      related: ['price'],
      backtest_windows: 3,
      holiday_country: 'JP'
    });
    expect(spec.sample_weight).toBeNull();
    expect(spec.algorithms).toEqual([]);
    expect(spec.exclude_columns).toEqual([]);
    expect(spec.validation_fraction).toBeNull();
    expect(spec.validation_file).toBeNull();
    expect(spec.candidate_plan).toBeNull();
  });

  it('sends no forecast block for a tabular problem', () => {
    const form = forecastForm({ problem_type: 'regression' });
    expect(buildSpec(form, LOCAL).forecast).toBeNull();
    expect(buildSpec(form, LOCAL).validation_fraction).toBe(0.2);
  });

  it('reads a forecasting spec back (copy an experiment)', () => {
    const form = forecastForm({
      'forecast.item_ids': ['store'],
      'forecast.quantiles': 'p20, p80',
      'forecast.backtest_windows': '2',
      'forecast.holiday_country': 'GB'
    });
    const again = formFromSpec(buildSpec(form, LOCAL));
    expect(again['forecast.timestamp']).toBe('date');
    expect(again['forecast.item_ids']).toEqual(['store']);
    expect(again['forecast.horizon']).toBe('14');
    expect(again['forecast.quantiles']).toBe('p20, p80');
    expect(again['forecast.backtest_windows']).toBe('2');
    expect(again['forecast.holiday_country']).toBe('GB');
    expect(again['forecast.frequency']).toBe('');
    expect(buildSpec(again, LOCAL)).toEqual(buildSpec(form, LOCAL));
  });

  it('says what to fix in each forecast field', () => {
    const errors = validateForm(
      forecastForm({
        'forecast.timestamp': '',
        'forecast.horizon': '',
        'forecast.quantiles': 'p10, 0.5, p100',
        'forecast.backtest_windows': '6',
        'forecast.frequency': 'every day',
        'forecast.holiday_country': 'USA'
      }),
      LOCAL
    );
    expect(errors['forecast.timestamp']).toMatch(/dates or times/);
    expect(errors['forecast.horizon']).toMatch(/how many steps/);
    expect(errors['forecast.quantiles']).toMatch(/not 0.5, p100/);
    expect(errors['forecast.backtest_windows']).toMatch(/from 1 to 5/);
    expect(errors['forecast.frequency']).toMatch(/pandas frequency/);
    expect(errors['forecast.holiday_country']).toMatch(
      /two-letter country code/
    );
    // Each on the target step, so Next stays there and Create goes back to it.
    expect(Object.keys(errorsOfStep(errors, 'target')).sort()).toEqual([
      'forecast.backtest_windows',
      'forecast.frequency',
      'forecast.holiday_country',
      'forecast.horizon',
      'forecast.quantiles',
      'forecast.timestamp'
    ]);
  });

  it('on SageMaker, asks for what Autopilot needs', () => {
    const s3: IValidationContext = {
      ...LOCAL,
      s3: true
    };
    const form = forecastForm({
      input_uri: 's3://bucket/sales.csv',
      'forecast.horizon': '501',
      'forecast.backtest_windows': '2',
      max_candidates: '5'
    });
    const errors = validateForm(form, s3);
    expect(errors['forecast.item_ids']).toMatch(/needs an item-id column/);
    expect(errors['forecast.horizon']).toMatch(/at most 500 steps/);
    expect(errors['forecast.backtest_windows']).toMatch(/chooses its own/);
    expect(errors.max_candidates).toMatch(/takes only 1/);
    // The same form is fine locally (but for the S3 URI).
    const local = validateForm({ ...form, input_uri: 'sales.csv' }, LOCAL);
    expect(local['forecast.item_ids']).toBeUndefined();
    expect(local['forecast.horizon']).toBeUndefined();
    expect(local.max_candidates).toBeUndefined();
    const fixed = forecastForm({
      input_uri: 's3://bucket/sales.csv',
      'forecast.item_ids': ['store']
    });
    expect(validateForm(fixed, s3)).toEqual({});
  });

  it('gives each column one role, from the file', () => {
    const problems = (partial: object) =>
      forecastProblems(forecastForm(partial), LOCAL.columns);
    expect(
      problems({ 'forecast.timestamp': 'sales' })['forecast.timestamp']
    ).toMatch(/target is what is forecast/);
    expect(
      problems({ 'forecast.item_ids': ['date'] })['forecast.item_ids']
    ).toMatch(/date already has another role/);
    expect(
      problems({
        'forecast.item_ids': ['store'],
        'forecast.related': ['store']
      })['forecast.related']
    ).toMatch(/store already has another role/);
    expect(
      problems({ 'forecast.related': ['promo'] })['forecast.related']
    ).toBe('Unknown columns: promo.');
    expect(problems({ 'forecast.horizon': '2.5' })['forecast.horizon']).toBe(
      'Enter a whole number.'
    );
    expect(
      problems({ 'forecast.quantiles': 'p10, p10' })['forecast.quantiles']
    ).toMatch(/once/);
    expect(
      problems({ 'forecast.quantiles': 'p1 p2 p3 p4 p5 p6' })[
        'forecast.quantiles'
      ]
    ).toMatch(/At most 5/);
  });

  it('skips the tabular checks it does not send', () => {
    const errors = validateForm(
      forecastForm({
        sample_weight: 'sales',
        validation_fraction: '0.9',
        algorithms: ['xgboost'],
        exclude_columns: ['date', 'store', 'price']
      }),
      { ...LOCAL, algorithmsByMode: { ensembling: ['lightgbm'] } }
    );
    expect(errors).toEqual({});
  });
});

describe("the server's forecast errors", () => {
  it('keep the forecast block’s field', () => {
    expect(topLevelField('body.forecast.horizon')).toBe('forecast.horizon');
    expect(topLevelField('forecast.quantiles.0')).toBe('forecast.quantiles');
    expect(topLevelField('forecast')).toBe('forecast');
    expect(topLevelField('vpc_config.subnets.0')).toBe('vpc_config');
  });

  it('land next to their fields, and go when the field changes', () => {
    const error = new AutopilotAPIError(
      400,
      'invalid_request',
      'invalid request',
      [
        {
          field: 'body.forecast.horizon',
          message: 'Input should be less than or equal to 10000'
        },
        {
          field: 'body.forecast',
          message:
            "Value error, column 'store' is both forecast.item_ids and forecast.related"
        }
      ]
    );
    const byField = fieldErrors(error);
    expect(byField).toEqual({
      'forecast.horizon': 'Input should be less than or equal to 10000',
      forecast: "column 'store' is both forecast.item_ids and forecast.related"
    });
    let state = wizardReducer(
      initialWizardState(forecastForm(), 'review', false),
      {
        type: 'createFailed',
        error,
        errors: byField
      }
    );
    state = wizardReducer(state, {
      type: 'update',
      patch: { 'forecast.related': [] }
    });
    // The block's problem may be fixed by any of its fields; the horizon's stays.
    expect(state.serverErrors).toEqual({
      'forecast.horizon': 'Input should be less than or equal to 10000'
    });
    state = wizardReducer(state, {
      type: 'update',
      patch: { 'forecast.horizon': '20' }
    });
    expect(state.serverErrors).toEqual({});
  });
});

describe('the related columns offered', () => {
  const column = (name: string, inferred_type: string, dtype: string) =>
    ({ name, inferred_type, dtype }) as any;
  it('are the numeric ones, a 0/1 flag too, in no other role', () => {
    const columns = [
      column('date', 'datetime', 'object'),
      column('store', 'categorical', 'object'),
      column('promo', 'binary', 'int64'),
      column('price', 'numeric', 'float64'),
      column('weather', 'categorical', 'object'),
      column('holiday', 'binary', 'object')
    ];
    expect(relatedColumnsOffered(columns, [], 'date', ['store'])).toEqual([
      'promo',
      'price'
    ]);
    // An item id is not offered; a chosen column stays offered (to untick it).
    expect(
      relatedColumnsOffered(columns, ['weather'], 'date', ['promo'])
    ).toEqual(['price', 'weather']);
  });
});
