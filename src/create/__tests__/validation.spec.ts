import { column, experiment } from '../../__tests__/fixtures';
import {
  ENDPOINT_NAME_PATTERN,
  EXPERIMENT_NAME_PATTERN,
  nameProblem,
  suggestEndpointName,
  suggestExperimentName,
  uniqueName
} from '../../logic/names';
import {
  buildSpec,
  emptyForm,
  formFromSpec,
  IValidationContext
} from '../form';
import {
  columnHints,
  defaultMetric,
  errorsOfStep,
  firstStepWithErrors,
  guessProblemType,
  parseNumber,
  splitList,
  tagsProblem,
  validateForm
} from '../validation';

const METRICS: IValidationContext['metricsByProblemType'] = {
  binary: ['F1', 'AUC', 'Accuracy'],
  multiclass: ['Accuracy', 'F1macro'],
  regression: ['MSE', 'RMSE', 'MAE', 'R2']
};
const LOCAL: IValidationContext = {
  columns: ['age', 'duration', 'y'],
  s3: false,
  metricsByProblemType: METRICS
};
const AWS: IValidationContext = { ...LOCAL, s3: true };

function valid(partial = {}) {
  return emptyForm({
    input_uri: 'bank.csv',
    target: 'y',
    name: 'tutorial-autopilot',
    ...partial
  });
}

describe('experiment names', () => {
  it('follows SageMaker’s rule', () => {
    expect(EXPERIMENT_NAME_PATTERN.test('tutorial-autopilot')).toBe(true);
    expect(EXPERIMENT_NAME_PATTERN.test('a--b')).toBe(true);
    expect(EXPERIMENT_NAME_PATTERN.test('-a')).toBe(false);
    expect(EXPERIMENT_NAME_PATTERN.test('a'.repeat(33))).toBe(false);
    expect(ENDPOINT_NAME_PATTERN.test('a'.repeat(63))).toBe(true);
    expect(ENDPOINT_NAME_PATTERN.test('a'.repeat(64))).toBe(false);
  });

  it('says what is wrong', () => {
    expect(nameProblem('', 32, 'experiment')).toBe(
      'Enter a name for the experiment.'
    );
    expect(nameProblem('a'.repeat(40), 32, 'experiment')).toBe(
      '40 characters; the limit is 32.'
    );
    expect(nameProblem('my experiment_1', 32, 'experiment')).toBe(
      'Only ASCII letters, digits and hyphens are allowed (not spaces "_").'
    );
    expect(nameProblem('ends-', 32, 'experiment')).toBe(
      'Start and end with a letter or a digit.'
    );
    expect(nameProblem('ok-name', 32, 'experiment')).toBeNull();
  });

  it('suggests names from files, avoiding taken ones', () => {
    expect(
      suggestExperimentName('bank-additional/bank-additional-full.csv')
    ).toBe('bank-additional-full');
    expect(suggestExperimentName('data/My Data (v2).csv.gz')).toBe(
      'My-Data-v2'
    );
    expect(suggestExperimentName('___.csv')).toBe('experiment');
    expect(suggestExperimentName('x'.repeat(50) + '.csv')).toHaveLength(32);
    expect(suggestExperimentName('bank.csv', ['bank', 'bank-2'])).toBe(
      'bank-3'
    );
    expect(suggestEndpointName('tutorial-autopilot')).toBe(
      'tutorial-autopilot-endpoint'
    );
    expect(
      suggestEndpointName('tutorial-autopilot', ['tutorial-autopilot-endpoint'])
    ).toBe('tutorial-autopilot-endpoint-2');
    expect(uniqueName('a'.repeat(32), new Set(['a'.repeat(32)]), 32)).toBe(
      'a'.repeat(30) + '-2'
    );
  });
});

describe('validateForm', () => {
  it('accepts a complete form', () => {
    expect(validateForm(valid(), LOCAL)).toEqual({});
  });

  it('asks for the data, the target and a name', () => {
    const errors = validateForm(emptyForm(), LOCAL);
    expect(errors.input_uri).toBe('Choose a CSV file from the file browser.');
    expect(errors.target).toBe('Choose the column to predict.');
    expect(errors.name).toBe('Enter a name for the experiment.');
    expect(firstStepWithErrors(errors)).toBe('data');
  });

  it('rejects unknown target and excluded columns', () => {
    expect(validateForm(valid({ target: 'z' }), LOCAL).target).toBe(
      'The file has no column named "z".'
    );
    expect(
      validateForm(valid({ exclude_columns: ['y'] }), LOCAL).exclude_columns
    ).toBe('The target column cannot also be excluded.');
    expect(
      validateForm(valid({ exclude_columns: ['nope'] }), LOCAL).exclude_columns
    ).toBe('Unknown columns: nope.');
    expect(
      validateForm(valid({ exclude_columns: ['age', 'duration'] }), LOCAL)
        .exclude_columns
    ).toMatch(/at least one column/);
  });

  it('does not check columns before the preview', () => {
    expect(
      validateForm(valid({ target: 'anything' }), { ...LOCAL, columns: null })
    ).toEqual({});
  });

  it('checks the metric against the problem type', () => {
    const errors = validateForm(
      valid({ problem_type: 'regression', objective_metric: 'F1' }),
      LOCAL
    );
    expect(errors.objective_metric).toBe(
      'F1 does not apply to regression problems; choose one of MSE, RMSE, MAE, R2.'
    );
    expect(
      validateForm(
        valid({ problem_type: 'auto', objective_metric: 'F1' }),
        LOCAL
      )
    ).toEqual({});
  });

  it('asks for a candidate count in reproducible mode (local only)', () => {
    expect(
      validateForm(valid({ reproducible: true }), LOCAL).max_candidates
    ).toBe(
      'Reproducible mode is bounded by the number of candidates: enter one.'
    );
    expect(
      validateForm(valid({ reproducible: true, max_candidates: '5' }), LOCAL)
    ).toEqual({});
    const form = valid({ reproducible: true, max_candidates: '5' });
    expect(buildSpec(form, LOCAL).reproducible).toBe(true);
    expect(buildSpec(form, AWS).reproducible).toBe(false);
    expect(formFromSpec(buildSpec(form, LOCAL)).reproducible).toBe(true);
  });

  it('checks budgets and their consistency', () => {
    expect(
      validateForm(valid({ max_candidates: '0' }), LOCAL).max_candidates
    ).toBe('Enter a value from 1 to 750.');
    expect(
      validateForm(valid({ max_candidates: '2.5' }), LOCAL).max_candidates
    ).toBe('Enter a whole number.');
    expect(
      validateForm(valid({ max_candidates: 'ten' }), LOCAL).max_candidates
    ).toBe('Enter a number.');
    const errors = validateForm(
      valid({
        max_trial_runtime_seconds: '120',
        max_job_runtime_seconds: '60'
      }),
      LOCAL
    );
    expect(errors.max_trial_runtime_seconds).toBe(
      'A trial cannot run longer than the whole job (60 s).'
    );
    expect(
      validateForm(valid({ validation_fraction: '0.7' }), LOCAL)
        .validation_fraction
    ).toBe('Enter a value above 0 and at most 0.5.');
    expect(
      validateForm(valid({ validation_fraction: '' }), LOCAL)
        .validation_fraction
    ).toMatch(/share of rows/);
  });

  it('keeps S3 for the sagemaker backend', () => {
    expect(
      validateForm(valid({ input_uri: 's3://bucket/data.csv' }), LOCAL)
        .input_uri
    ).toMatch(/local backend/);
    expect(
      validateForm(valid({ input_uri: 'bank.csv' }), AWS).input_uri
    ).toMatch(/Upload to S3/);
    expect(
      validateForm(valid({ input_uri: 's3://B/x.csv' }), AWS).input_uri
    ).toMatch(/looks like/);
    expect(
      validateForm(valid({ input_uri: 's3://my-bucket/in/bank.csv' }), AWS)
    ).toEqual({});
    expect(validateForm(valid({ manifest: true }), LOCAL).manifest).toMatch(
      /S3 feature/
    );
  });

  it('checks the AWS-only fields only on AWS', () => {
    const aws = valid({
      input_uri: 's3://my-bucket/in/bank.csv',
      output_uri: 'bucket/out',
      role_arn: 'MyRole',
      vpc_security_group_ids: 'sg-1'
    });
    const errors = validateForm(aws, AWS);
    expect(errors.output_uri).toMatch(/s3:\/\/bucket\/prefix/);
    expect(errors.role_arn).toMatch(/arn:aws:iam/);
    expect(errors.vpc_config).toBe(
      'A VPC needs both security groups and subnets.'
    );
    expect(
      validateForm({ ...aws, input_uri: 'bank.csv' }, LOCAL).role_arn
    ).toBeUndefined();
    const good = valid({
      input_uri: 's3://my-bucket/in/bank.csv',
      role_arn: 'arn:aws:iam::123456789012:role/service-role/SageMaker',
      vpc_security_group_ids: 'sg-0a1b',
      vpc_subnets: 'subnet-1, subnet-2'
    });
    expect(validateForm(good, AWS)).toEqual({});
    expect(
      validateForm({ ...good, vpc_subnets: 'net-1' }, AWS).vpc_subnets
    ).toMatch(/subnet-/);
  });

  it('checks tags', () => {
    expect(tagsProblem([{ key: '', value: 'x' }])).toBe(
      'Every tag needs a key.'
    );
    expect(
      tagsProblem([
        { key: 'a', value: '' },
        { key: 'a', value: '' }
      ])
    ).toBe('The tag key "a" is used twice.');
    expect(tagsProblem([{ key: '', value: '' }])).toBeNull();
    expect(
      validateForm(valid({ tags: [{ key: '', value: 'v' }] }), LOCAL).tags
    ).toBe('Every tag needs a key.');
  });

  it('groups errors by step', () => {
    const errors = validateForm(emptyForm({ input_uri: 'x.csv' }), LOCAL);
    expect(Object.keys(errorsOfStep(errors, 'data'))).toEqual([]);
    expect(Object.keys(errorsOfStep(errors, 'target'))).toEqual(['target']);
    expect(firstStepWithErrors(errors)).toBe('target');
    expect(firstStepWithErrors({})).toBeNull();
  });
});

describe('buildSpec', () => {
  it('turns the form into the API request', () => {
    const spec = buildSpec(
      valid({
        exclude_columns: ['duration'],
        max_candidates: '5',
        max_job_runtime_seconds: '60',
        tags: [
          { key: 'project', value: 'tutorial' },
          { key: '', value: '' }
        ],
        role_arn: 'arn:aws:iam::123456789012:role/R'
      }),
      LOCAL
    );
    expect(spec).toMatchObject({
      name: 'tutorial-autopilot',
      input_uri: 'bank.csv',
      target: 'y',
      exclude_columns: ['duration'],
      max_candidates: 5,
      max_trial_runtime_seconds: null,
      max_job_runtime_seconds: 60,
      validation_fraction: 0.2,
      tags: [{ key: 'project', value: 'tutorial' }],
      objective_metric: null,
      delimiter: null,
      // AWS-only fields are dropped on the local backend.
      role_arn: null,
      vpc_config: null,
      manifest: false
    });
  });

  it('keeps the AWS fields on AWS', () => {
    const spec = buildSpec(
      valid({
        input_uri: 's3://b/x.csv',
        output_uri: 's3://b/out',
        kms_key_id: 'key',
        vpc_security_group_ids: 'sg-1 sg-2',
        vpc_subnets: 'subnet-1',
        manifest: true,
        objective_metric: 'AUC',
        delimiter: ';'
      }),
      AWS
    );
    expect(spec).toMatchObject({
      output_uri: 's3://b/out',
      kms_key_id: 'key',
      vpc_config: {
        security_group_ids: ['sg-1', 'sg-2'],
        subnets: ['subnet-1']
      },
      manifest: true,
      objective_metric: 'AUC',
      delimiter: ';'
    });
  });

  it('round-trips through formFromSpec', () => {
    const spec = experiment().spec;
    expect(
      buildSpec(formFromSpec({ ...spec, max_candidates: 4 }), LOCAL)
    ).toEqual({ ...spec, max_candidates: 4 });
  });

  it('keeps the candidate plan of a copied experiment', () => {
    const plan = {
      source: 'SageMaker Autopilot job bank',
      column_types: {},
      candidates: [
        {
          name: 'dpp0-xgboost',
          algorithm: 'xgboost' as const,
          recipe: {
            numeric_transform: 'none' as const,
            log_skewed: false,
            impute: false,
            categorical_encoding: 'onehot' as const,
            high_cardinality_encoding: 'onehot' as const,
            min_frequency: null,
            max_categories: null,
            text_max_features: 2000,
            dense: true
          },
          search_space: {},
          fixed: {},
          description: '',
          max_boosting_rounds: 512
        }
      ]
    };
    const spec = { ...experiment().spec, candidate_plan: plan };
    const form = formFromSpec(spec);
    expect(form.candidate_plan).toEqual(plan);
    expect(buildSpec(form, LOCAL).candidate_plan).toEqual(plan);
    expect(buildSpec(emptyForm(), LOCAL).candidate_plan).toBeNull();
  });
});

describe('hints', () => {
  it('guesses the problem type from the target column', () => {
    expect(guessProblemType(column({ name: 'y', unique_count: 2 }))).toBe(
      'binary'
    );
    expect(guessProblemType(column({ name: 'y', unique_count: 5 }))).toBe(
      'multiclass'
    );
    expect(
      guessProblemType(
        column({
          name: 'price',
          inferred_type: 'numeric',
          unique_count: 900,
          examples: ['1.5', '2']
        })
      )
    ).toBe('regression');
    expect(
      guessProblemType(
        column({
          name: 'stars',
          inferred_type: 'numeric',
          unique_count: 5,
          examples: ['1', '2']
        })
      )
    ).toBe('multiclass');
    expect(guessProblemType(column({ name: 'c', unique_count: 1 }))).toBeNull();
    expect(guessProblemType(undefined)).toBeNull();
  });

  it('names the default metric', () => {
    expect(defaultMetric('binary', METRICS)).toBe('F1');
    expect(defaultMetric('auto', METRICS)).toBeNull();
  });

  it('explains columns that will not be used', () => {
    expect(columnHints(column({ name: 'id', inferred_type: 'id' }))[0]).toMatch(
      /identifier/
    );
    expect(
      columnHints(column({ name: 'c', inferred_type: 'constant' }))[0]
    ).toMatch(/Constant/);
    expect(columnHints(column({ name: 'm', missing_fraction: 0.6 }))).toEqual([
      'Missing in 60% of the rows scanned.'
    ]);
    expect(columnHints(column({ name: 'ok' }))).toEqual([]);
  });

  it('parses numbers and lists', () => {
    expect(parseNumber('', { min: 1, max: 2 })).toEqual({});
    expect(parseNumber(' 2 ', { min: 1, max: 2 })).toEqual({ value: 2 });
    expect(splitList('sg-1, sg-2  sg-3,')).toEqual(['sg-1', 'sg-2', 'sg-3']);
  });
});

describe('the sample weight column', () => {
  it('is optional, sent when chosen and kept when copied', () => {
    expect(validateForm(valid(), LOCAL)).toEqual({});
    expect(buildSpec(valid(), LOCAL).sample_weight).toBeNull();
    const form = valid({ sample_weight: 'age' });
    expect(validateForm(form, LOCAL)).toEqual({});
    const spec = buildSpec(form, LOCAL);
    expect(spec.sample_weight).toBe('age');
    expect(formFromSpec(spec).sample_weight).toBe('age');
  });

  it('says what is wrong: the target, an unknown column, SageMaker outside ensembling', () => {
    expect(
      validateForm(valid({ sample_weight: 'y' }), LOCAL).sample_weight
    ).toMatch('cannot also be the sample weight');
    expect(
      validateForm(valid({ sample_weight: 'weight' }), LOCAL).sample_weight
    ).toMatch('no column named "weight"');
    const aws = { output_uri: '', sample_weight: 'age' };
    expect(validateForm(valid(aws), AWS).sample_weight).toMatch(
      'ensembling training mode only'
    );
    expect(
      validateForm(valid({ ...aws, training_mode: 'ensembling' }), AWS)
        .sample_weight
    ).toBeUndefined();
  });
});

describe('the algorithm choice', () => {
  const BY_MODE = {
    ensembling: ['lightgbm', 'xgboost'] as const,
    hyperparameter_tuning: ['xgboost', 'mlp'] as const
  };
  const context = { ...AWS, algorithmsByMode: BY_MODE };

  it('defaults to all, and is sent and copied when chosen', () => {
    expect(buildSpec(valid(), LOCAL).algorithms).toEqual([]);
    const form = valid({
      input_uri: 's3://bucket/bank.csv',
      output_uri: '',
      training_mode: 'ensembling',
      algorithms: ['lightgbm']
    });
    expect(validateForm(form, context)).toEqual({});
    const spec = buildSpec(form, context);
    expect(spec.algorithms).toEqual(['lightgbm']);
    expect(formFromSpec(spec).algorithms).toEqual(['lightgbm']);
  });

  it('refuses a mode without a choice and algorithms the mode lacks', () => {
    expect(
      validateForm(valid({ output_uri: '', algorithms: ['xgboost'] }), context)
        .algorithms
    ).toMatch('ensembling or hyperparameter-tuning');
    expect(
      validateForm(
        valid({
          output_uri: '',
          training_mode: 'ensembling',
          algorithms: ['mlp']
        }),
        context
      ).algorithms
    ).toMatch('Not available in this training mode: mlp');
    // A pilot on SageMaker runs hyperparameter tuning.
    expect(
      validateForm(
        valid({
          output_uri: '',
          mode: 'pilot',
          training_mode: 'ensembling',
          algorithms: ['mlp']
        }),
        context
      ).algorithms
    ).toBeUndefined();
  });
});

describe('the validation file', () => {
  const withFile = (partial = {}) =>
    valid({
      validation_source: 'file',
      validation_file: 'later.csv',
      ...partial
    });

  it('replaces the fraction in the request and is kept when copied', () => {
    expect(buildSpec(valid(), LOCAL)).toMatchObject({
      validation_fraction: 0.2,
      validation_file: null
    });
    const spec = buildSpec(withFile(), LOCAL);
    expect(spec).toMatchObject({
      validation_fraction: null,
      validation_file: 'later.csv'
    });
    const copied = formFromSpec(spec);
    expect(copied.validation_source).toBe('file');
    expect(copied.validation_file).toBe('later.csv');
    expect(copied.validation_fraction).toBe('0.2');
  });

  it('says what is wrong before Create: none, the training file, not S3, other columns', () => {
    const problem = (partial: object, context = LOCAL) =>
      validateForm(withFile(partial), context).validation_file;
    expect(problem({})).toBeUndefined();
    expect(problem({ validation_file: ' ' })).toMatch(/Choose the validation/);
    expect(problem({ validation_file: 'bank.csv' })).toMatch(
      /is the training file/
    );
    expect(problem({ input_uri: 's3://b/x.csv' }, AWS)).toMatch(/from S3/);
    expect(
      problem({ validation_columns: ['age', 'duration', 'y'] })
    ).toBeUndefined();
    expect(problem({ validation_columns: ['y', 'age', 'calls'] })).toBe(
      'The validation file needs the training file’s columns (missing duration; not in the training file: calls).'
    );
    // The fraction is not checked while a file is chosen.
    expect(
      validateForm(withFile({ validation_fraction: '0.9' }), LOCAL)
        .validation_fraction
    ).toBeUndefined();
  });
});
