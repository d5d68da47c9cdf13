/**
 * "Run on SageMaker": the local form becomes the sagemaker wizard's, every setting
 * SageMaker takes kept, the files to upload listed and the rest named.
 */
import { identityTrans } from '../../logic/trans';
import { emptyForm, IExperimentForm } from '../form';
import { formForSageMaker, ISageMakerOffer, tooBigHere } from '../transfer';

/** What the sagemaker backend's health offers (as the server sends it). */
const OFFER: ISageMakerOffer = {
  metricsByProblemType: {
    // SageMaker cannot optimise LogLoss, which the local backend can.
    binary: ['F1', 'AUC', 'Accuracy', 'BalancedAccuracy'],
    multiclass: ['Accuracy', 'F1macro'],
    regression: ['MSE', 'RMSE', 'MAE', 'R2']
  },
  algorithmsByMode: {
    ensembling: ['xgboost', 'lightgbm', 'catboost', 'linear-learner'],
    hyperparameter_tuning: ['xgboost', 'linear-learner', 'mlp']
  }
};

/** A local form with a value in every setting SageMaker takes. */
function localForm(patch: Partial<IExperimentForm> = {}): IExperimentForm {
  return emptyForm({
    input_uri: 'bank-additional/bank-additional-full.csv',
    delimiter: ';',
    target: 'y',
    exclude_columns: ['duration'],
    problem_type: 'binary',
    objective_metric: 'AUC',
    mode: 'complete',
    training_mode: 'ensembling',
    algorithms: ['lightgbm', 'linear-learner'],
    sample_weight: 'campaign',
    name: 'bank-on-sagemaker',
    description: 'too big for my laptop',
    project: 'marketing',
    tags: [{ key: 'team', value: 'growth' }],
    max_candidates: '20',
    max_trial_runtime_seconds: '600',
    max_job_runtime_seconds: '3600',
    validation_fraction: '0.25',
    ...patch
  });
}

describe('formForSageMaker', () => {
  it('keeps every setting SageMaker takes and uploads the training file', () => {
    const local = localForm();
    const { form, uploads, leftBehind } = formForSageMaker(
      local,
      OFFER,
      identityTrans
    );
    expect(leftBehind).toEqual([]);
    expect(uploads).toEqual([
      { field: 'input_uri', path: 'bank-additional/bank-additional-full.csv' }
    ]);
    // Upload to S3 converts to commas: the delimiter is detected again.
    expect(form).toEqual({ ...local, delimiter: '' });
  });

  it('uploads the validation file too and keeps it as the validation data', () => {
    const { form, uploads, leftBehind } = formForSageMaker(
      localForm({
        validation_source: 'file',
        validation_file: 'sales/later.csv'
      }),
      OFFER,
      identityTrans
    );
    expect(uploads.map(u => [u.field, u.path])).toEqual([
      ['input_uri', 'bank-additional/bank-additional-full.csv'],
      ['validation_file', 'sales/later.csv']
    ]);
    expect(form.validation_source).toBe('file');
    expect(leftBehind).toEqual([]);
  });

  it('uploads nothing already on S3', () => {
    const { uploads } = formForSageMaker(
      localForm({ input_uri: 's3://bucket/data.csv' }),
      OFFER,
      identityTrans
    );
    expect(uploads).toEqual([]);
  });

  it('names the settings SageMaker cannot take, and clears them', () => {
    const { form, leftBehind } = formForSageMaker(
      localForm({
        training_mode: 'auto',
        reproducible: true,
        candidate_plan: { candidates: [] } as any
      }),
      OFFER,
      identityTrans
    );
    expect(leftBehind.map(l => l.field)).toEqual([
      'algorithms',
      'sample_weight',
      'reproducible',
      'candidate_plan'
    ]);
    expect(leftBehind[0].setting).toBe('Algorithms lightgbm, linear-learner');
    expect(leftBehind[0].reason).toMatch(
      /ensembling and hyperparameter-tuning/
    );
    expect(leftBehind[1].setting).toBe('Sample weight column campaign');
    expect(form).toMatchObject({
      algorithms: [],
      sample_weight: '',
      reproducible: false,
      candidate_plan: null,
      // The rest stays.
      training_mode: 'auto',
      objective_metric: 'AUC',
      max_candidates: '20',
      name: 'bank-on-sagemaker'
    });
  });

  it('keeps the algorithms SageMaker trains in the mode, naming the others', () => {
    const { form, leftBehind } = formForSageMaker(
      localForm({
        training_mode: 'hyperparameter_tuning',
        sample_weight: '',
        algorithms: ['xgboost', 'lightgbm']
      }),
      OFFER,
      identityTrans
    );
    expect(form.algorithms).toEqual(['xgboost']);
    expect(leftBehind).toHaveLength(1);
    expect(leftBehind[0]).toMatchObject({
      field: 'algorithms',
      setting: 'Algorithms lightgbm'
    });
    expect(leftBehind[0].reason).toMatch(/xgboost, linear-learner, mlp/);
  });

  it('a pilot run is hyperparameter tuning on SageMaker: no sample weights', () => {
    const { form, leftBehind } = formForSageMaker(
      localForm({ mode: 'pilot', training_mode: 'auto', algorithms: [] }),
      OFFER,
      identityTrans
    );
    expect(form.sample_weight).toBe('');
    expect(leftBehind.map(l => l.field)).toEqual(['sample_weight']);
  });

  it('a metric SageMaker does not offer for the problem type goes to its default', () => {
    const { form, leftBehind } = formForSageMaker(
      localForm({ objective_metric: 'LogLoss' }),
      OFFER,
      identityTrans
    );
    expect(form.objective_metric).toBe('');
    expect(leftBehind.map(l => l.setting)).toEqual([
      'Objective metric LogLoss'
    ]);
    // With the problem type left to detection, any offered metric is kept.
    const auto = formForSageMaker(
      localForm({ problem_type: 'auto', objective_metric: 'F1macro' }),
      OFFER,
      identityTrans
    );
    expect(auto.form.objective_metric).toBe('F1macro');
    expect(auto.leftBehind).toEqual([]);
  });

  it('a forecasting form keeps its block, without the windows and candidates SageMaker chooses', () => {
    const { form, leftBehind } = formForSageMaker(
      localForm({
        problem_type: 'TimeSeriesForecasting',
        objective_metric: 'WAPE',
        algorithms: [],
        sample_weight: '',
        'forecast.timestamp': 'date',
        'forecast.item_ids': ['store'],
        'forecast.horizon': '6',
        'forecast.backtest_windows': '3',
        max_candidates: '8'
      }),
      {
        ...OFFER,
        metricsByProblemType: {
          TimeSeriesForecasting: ['AverageWeightedQuantileLoss', 'WAPE']
        }
      },
      identityTrans
    );
    expect(form).toMatchObject({
      objective_metric: 'WAPE',
      'forecast.timestamp': 'date',
      'forecast.item_ids': ['store'],
      'forecast.horizon': '6',
      // Empty: Autopilot chooses its own.
      'forecast.backtest_windows': '',
      max_candidates: ''
    });
    expect(leftBehind.map(l => l.field)).toEqual([
      'forecast.backtest_windows',
      'max_candidates'
    ]);
    expect(leftBehind[0].setting).toBe('3 backtest windows');
  });

  it('AWS-only fields start from the backend defaults', () => {
    const { form } = formForSageMaker(
      localForm({ output_uri: 'x', role_arn: 'y', manifest: true }),
      OFFER,
      identityTrans
    );
    expect(form).toMatchObject({
      output_uri: '',
      role_arn: '',
      manifest: false
    });
  });
});

describe('tooBigHere', () => {
  it('is the local preview refusing a file over this machine’s limit', () => {
    expect(tooBigHere({ code: 'dataset_too_large' })).toBe(true);
    expect(tooBigHere({ code: 'invalid_dataset' })).toBe(false);
    expect(tooBigHere(new Error('x'))).toBe(false);
    expect(tooBigHere(null)).toBe(false);
  });
});
