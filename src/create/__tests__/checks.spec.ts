import { errorFromResponse } from '../../api/request';
import type { DataWarning, ExperimentValidation } from '../../api/types';
import {
  actionableWarnings,
  checkErrors,
  checkFailure,
  checkRequest,
  ICheckOutcome,
  isCacheable,
  otherWarnings,
  PLACEHOLDER_NAME,
  warningLabel
} from '../checks';
import { emptyForm, IValidationContext } from '../form';
import { validateForm } from '../validation';

const CONTEXT: IValidationContext = {
  columns: ['age', 'duration', 'y'],
  s3: false,
  metricsByProblemType: { binary: ['F1', 'AUC'] }
};

const FORM = emptyForm({
  input_uri: 'bank.csv',
  target: 'y',
  name: 'tutorial-autopilot'
});

const LEAK: DataWarning = {
  code: 'post_outcome_feature',
  severity: 'warning',
  column: 'duration',
  message: "'duration' is one of the strongest predictors",
  suggestion: "Exclude 'duration' for a realistic model."
};
const IMBALANCE: DataWarning = {
  code: 'class_imbalance',
  severity: 'info',
  column: 'y',
  message: 'The classes are imbalanced.',
  suggestion: null
};

function request(form = FORM) {
  return checkRequest(form, CONTEXT, validateForm(form, CONTEXT));
}

function outcome(partial: Partial<ICheckOutcome>): ICheckOutcome {
  return {
    key: 'k',
    nameChecked: true,
    name: 'tutorial-autopilot',
    result: null,
    error: null,
    ...partial
  };
}

const VALID: ExperimentValidation = {
  name_available: true,
  cost_estimate: null,
  budget: {
    max_candidates: 60,
    max_trial_runtime_seconds: 120,
    max_job_runtime_seconds: 300
  },
  warnings: [IMBALANCE, LEAK]
};

describe('checkRequest', () => {
  it('waits for the data and the target', () => {
    expect(request({ ...FORM, target: '' })).toBeNull();
    expect(request({ ...FORM, input_uri: '' })).toBeNull();
    // A target the file does not have is the form's own error.
    expect(request({ ...FORM, target: 'nope' })).toBeNull();
  });

  it('sends the spec the form would create, keyed by its content', () => {
    const r = request();
    expect(r?.nameChecked).toBe(true);
    expect(r?.spec).toMatchObject({
      name: 'tutorial-autopilot',
      input_uri: 'bank.csv',
      target: 'y',
      exclude_columns: []
    });
    expect(r?.key).toBe(request()?.key);
    expect(r?.key).not.toBe(
      request({ ...FORM, exclude_columns: ['duration'] })?.key
    );
  });

  it('checks the data before the settings are right', () => {
    const r = request({
      ...FORM,
      name: 'not valid!',
      max_candidates: '0',
      validation_fraction: '0.9',
      tags: [{ key: '', value: 'x' }]
    });
    expect(r?.nameChecked).toBe(false);
    expect(r?.spec).toMatchObject({
      name: PLACEHOLDER_NAME,
      max_candidates: null,
      validation_fraction: 0.2,
      tags: []
    });
  });

  it('checks with the random split until the validation file is right', () => {
    const file = { ...FORM, validation_source: 'file' as const };
    expect(request({ ...file, validation_file: '' })?.spec).toMatchObject({
      validation_fraction: 0.2,
      validation_file: null
    });
    expect(
      request({ ...file, validation_file: 'later.csv' })?.spec
    ).toMatchObject({
      validation_fraction: null,
      validation_file: 'later.csv'
    });
  });

  it('replaces a name known to be taken (the server says the same)', () => {
    const context = { ...CONTEXT, takenNames: ['tutorial-autopilot'] };
    const r = checkRequest(FORM, context, validateForm(FORM, context));
    expect(r?.nameChecked).toBe(false);
  });
});

describe('checkErrors', () => {
  it('flags a taken name, for the spec that was checked only', () => {
    const taken = outcome({ result: { ...VALID, name_available: false } });
    expect(checkErrors(taken, 'k').name).toBe(
      'An experiment named "tutorial-autopilot" already exists; choose another name.'
    );
    expect(checkErrors(taken, 'other')).toEqual({});
    expect(checkErrors(outcome({ result: VALID }), 'k')).toEqual({});
    expect(
      checkErrors(
        outcome({
          nameChecked: false,
          result: { ...VALID, name_available: false }
        }),
        'k'
      )
    ).toEqual({});
  });

  it('puts the fields of a 400 next to them', () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({
        error: 'validation_error',
        message: 'Invalid request',
        details: [
          { field: 'body.name', message: 'Value error, reserved' },
          { field: 'target', message: 'not a column' }
        ]
      })
    );
    expect(checkErrors(outcome({ error }), 'k')).toEqual({
      name: 'reserved',
      target: 'not a column'
    });
    expect(checkErrors(outcome({ error, nameChecked: false }), 'k')).toEqual({
      target: 'not a column'
    });
    expect(checkFailure(outcome({ error }), 'k')).toBeNull();
  });

  it('reports a problem without a field as a failure of the check', () => {
    const error = errorFromResponse(
      400,
      JSON.stringify({
        error: 'invalid_dataset',
        message: "The target column 'nope' is not a column of the file."
      })
    );
    expect(checkErrors(outcome({ error }), 'k')).toEqual({});
    expect(checkFailure(outcome({ error }), 'k')).toBe(error);
    expect(checkFailure(outcome({ error }), 'other')).toBeNull();
    expect(checkFailure(outcome({ result: VALID }), 'k')).toBeNull();
    expect(checkFailure(null, 'k')).toBeNull();
    // Details about the body as a whole are the failure, not a field's.
    const whole = errorFromResponse(
      400,
      JSON.stringify({
        error: 'validation_error',
        message: 'Invalid request',
        details: [{ field: 'body', message: 'Expected an object' }]
      })
    );
    expect(checkErrors(outcome({ error: whole }), 'k')).toEqual({});
    expect(checkFailure(outcome({ error: whole }), 'k')).toBe(whole);
  });
});

describe('isCacheable', () => {
  it('keeps answers and 4xx, not failures to ask', () => {
    expect(isCacheable(outcome({ result: VALID }))).toBe(true);
    expect(isCacheable(outcome({ error: errorFromResponse(400, '{}') }))).toBe(
      true
    );
    expect(isCacheable(outcome({ error: errorFromResponse(502, '{}') }))).toBe(
      false
    );
    expect(isCacheable(outcome({ error: new Error('offline') }))).toBe(false);
  });
});

describe('warnings', () => {
  it('offers to exclude leaking columns, not the target or excluded ones', () => {
    expect(actionableWarnings([IMBALANCE, LEAK], FORM)).toEqual([LEAK]);
    expect(
      actionableWarnings([IMBALANCE, LEAK], {
        ...FORM,
        exclude_columns: ['duration']
      })
    ).toEqual([]);
    expect(actionableWarnings([{ ...LEAK, severity: 'info' }], FORM)).toEqual(
      []
    );
  });

  it('keeps the other notes, dropping those about excluded columns', () => {
    expect(otherWarnings([IMBALANCE, LEAK], FORM)).toEqual([IMBALANCE]);
    const general: DataWarning = {
      code: 'x',
      severity: 'warning',
      column: null,
      message: 'General',
      suggestion: null
    };
    expect(
      otherWarnings([general, LEAK], { ...FORM, exclude_columns: ['duration'] })
    ).toEqual([general]);
  });

  it('labels a column warning in a few words', () => {
    expect(warningLabel(LEAK)).toBe('May leak the target');
    expect(warningLabel({ ...LEAK, code: 'target_leakage' })).toBe(
      'May leak the target'
    );
    expect(warningLabel({ ...LEAK, code: 'mostly_missing' })).toBe(
      'Mostly missing'
    );
    expect(warningLabel({ ...LEAK, code: 'other' })).toBe('Warning');
    expect(warningLabel({ ...LEAK, code: 'other', severity: 'error' })).toBe(
      'Problem'
    );
  });
});

describe('validateForm with the names taken', () => {
  it('says a name is taken before the server is asked', () => {
    const context = { ...CONTEXT, takenNames: ['tutorial-autopilot'] };
    expect(validateForm(FORM, context).name).toBe(
      'An experiment named "tutorial-autopilot" already exists; choose another name.'
    );
    expect(
      validateForm({ ...FORM, name: 'tutorial-autopilot-2' }, context).name
    ).toBeUndefined();
  });
});
