import { notebookImport as bankImport } from '../../__tests__/fixtures';
import { EXPERIMENT_NAME_PATTERN } from '../../logic/names';
import {
  algorithmMapping,
  DEFAULT_IMPORT_RUNTIME_SECONDS,
  defaultImportForm,
  IImportForm,
  importedExperimentName,
  importFormErrors,
  importSpec,
  isNotebookPath,
  isRunnable,
  runnableCandidates,
  selectedPlan,
  toggleCandidate
} from '../imports';

function form(partial: Partial<IImportForm> = {}): IImportForm {
  return {
    ...defaultImportForm(bankImport()),
    input_uri: 'bank-additional/bank-additional-full.csv',
    ...partial
  };
}

describe('importedExperimentName', () => {
  it('is the job name with -local', () => {
    expect(importedExperimentName('bank-autopilot')).toBe(
      'bank-autopilot-local'
    );
  });

  it('replaces characters SageMaker refuses and trims to 32', () => {
    expect(importedExperimentName('my_job.v2 (copy)')).toBe(
      'my-job-v2-copy-local'
    );
    const long = importedExperimentName(
      'a-very-long-autopilot-job-name-from-2024'
    );
    expect(long).toBe('a-very-long-autopilot-job-local');
    expect(long.length).toBeLessThanOrEqual(32);
    // The cut never leaves a hyphen before the suffix.
    expect(importedExperimentName('abcdefghijklmnopqrstuvwxy-z')).toBe(
      'abcdefghijklmnopqrstuvwxy-local'
    );
    for (const job of [
      'bank-autopilot',
      '--weird__name--',
      'x'.repeat(80),
      'ünïcödé',
      '',
      '___'
    ]) {
      expect(importedExperimentName(job)).toMatch(EXPERIMENT_NAME_PATTERN);
    }
    expect(importedExperimentName('___')).toBe('sagemaker-local');
  });

  it('avoids names that are taken', () => {
    expect(
      importedExperimentName('bank-autopilot', [
        'bank-autopilot-local',
        'bank-autopilot-local-2'
      ])
    ).toBe('bank-autopilot-local-3');
    const name = importedExperimentName('x'.repeat(40), [
      `${'x'.repeat(26)}-local`
    ]);
    expect(name).toMatch(EXPERIMENT_NAME_PATTERN);
    expect(name.endsWith('-2')).toBe(true);
  });
});

describe('candidates', () => {
  it('are runnable with a local family and a planned candidate', () => {
    const data = bankImport();
    expect(runnableCandidates(data)).toEqual([
      'dpp0-xgboost',
      'dpp1-xgboost',
      'dpp2-linear-learner'
    ]);
    expect(isRunnable(data, data.candidates[3])).toBe(false);
    expect(isRunnable({ plan: null }, data.candidates[0])).toBe(false);
    expect(runnableCandidates(bankImport({ plan: null }))).toEqual([]);
  });

  it('describe the algorithm mapping', () => {
    const data = bankImport();
    expect(algorithmMapping(data.candidates[2])).toBe(
      'linear-learner → linear'
    );
    expect(algorithmMapping(data.candidates[3])).toBe(
      'knn → not available locally'
    );
  });

  it('toggle in the notebook’s order', () => {
    const data = bankImport();
    let selected = toggleCandidate(data, [], 'dpp2-linear-learner', true);
    selected = toggleCandidate(data, selected, 'dpp0-xgboost', true);
    expect(selected).toEqual(['dpp0-xgboost', 'dpp2-linear-learner']);
    expect(toggleCandidate(data, selected, 'dpp0-xgboost', false)).toEqual([
      'dpp2-linear-learner'
    ]);
  });

  it('restrict the plan to the selection', () => {
    const plan = bankImport().plan;
    const picked = selectedPlan(plan, ['dpp1-xgboost']);
    expect(picked?.candidates.map(c => c.name)).toEqual(['dpp1-xgboost']);
    expect(picked?.column_types).toEqual(plan?.column_types);
    expect(picked?.source).toBe(plan?.source);
    expect(selectedPlan(plan, [])).toBeNull();
    expect(selectedPlan(null, ['dpp0-xgboost'])).toBeNull();
  });
});

describe('defaultImportForm', () => {
  it('selects every runnable candidate and 300 s', () => {
    expect(defaultImportForm(bankImport(), ['other'])).toEqual({
      input_uri: '',
      name: 'bank-autopilot-local',
      max_job_runtime_seconds: String(DEFAULT_IMPORT_RUNTIME_SECONDS),
      selected: ['dpp0-xgboost', 'dpp1-xgboost', 'dpp2-linear-learner']
    });
    expect(defaultImportForm(bankImport(), ['bank-autopilot-local']).name).toBe(
      'bank-autopilot-local-2'
    );
  });
});

describe('importFormErrors', () => {
  it('accepts a complete form', () => {
    expect(importFormErrors(bankImport(), form())).toEqual({});
  });

  it('needs a data file', () => {
    expect(
      importFormErrors(bankImport(), form({ input_uri: '  ' })).input_uri
    ).toBe(
      'Enter the path of the training data: a CSV file under the Jupyter root.'
    );
  });

  it('checks the name (rule and taken)', () => {
    expect(importFormErrors(bankImport(), form({ name: '' })).name).toBe(
      'Enter a name for the experiment.'
    );
    expect(
      importFormErrors(bankImport(), form({ name: 'with space' })).name
    ).toMatch(/Only ASCII letters/);
    expect(
      importFormErrors(bankImport(), form({ name: 'taken' }), undefined, [
        'taken'
      ]).name
    ).toBe('An experiment named "taken" already exists; choose another name.');
  });

  it('checks the runtime (empty = the backend default)', () => {
    const errors = (text: string) =>
      importFormErrors(bankImport(), form({ max_job_runtime_seconds: text }))
        .max_job_runtime_seconds;
    expect(errors('')).toBeUndefined();
    expect(errors('60')).toBeUndefined();
    expect(errors('0')).toBe('Enter a value from 1 to 2592000.');
    expect(errors('1.5')).toBe('Enter a whole number.');
    expect(errors('abc')).toBe('Enter a number.');
  });

  it('needs a selected, runnable candidate', () => {
    expect(
      importFormErrors(bankImport(), form({ selected: [] })).candidate_plan
    ).toBe('Select at least one candidate to run.');
    expect(
      importFormErrors(bankImport(), form({ selected: ['dpp3-knn'] }))
        .candidate_plan
    ).toBe('Select at least one candidate to run.');
    expect(
      importFormErrors(bankImport({ plan: null }), form()).candidate_plan
    ).toBe('None of the notebook’s candidates can run locally.');
  });

  it('translates its messages', () => {
    const trans = { __: (text: string) => `T:${text}` };
    expect(
      importFormErrors(bankImport(), form({ input_uri: '' }), trans).input_uri
    ).toMatch(/^T:/);
  });
});

describe('importSpec', () => {
  it('builds the experiment request with the selected plan', () => {
    const { spec, errors } = importSpec(
      bankImport(),
      form({
        name: ' reimported-bank ',
        max_job_runtime_seconds: '60',
        selected: ['dpp0-xgboost', 'dpp2-linear-learner']
      })
    );
    expect(errors).toEqual({});
    expect(spec).toMatchObject({
      name: 'reimported-bank',
      input_uri: 'bank-additional/bank-additional-full.csv',
      target: 'y',
      problem_type: 'binary',
      objective_metric: 'F1',
      max_job_runtime_seconds: 60,
      max_candidates: null,
      mode: 'complete',
      manifest: false,
      exclude_columns: []
    });
    expect(spec?.candidate_plan?.candidates.map(c => c.name)).toEqual([
      'dpp0-xgboost',
      'dpp2-linear-learner'
    ]);
    expect(spec?.candidate_plan?.column_types).toEqual({
      age: 'numeric',
      job: 'categorical'
    });
    expect(spec?.description).toContain('bank-autopilot');
  });

  it('keeps the default metric when the notebook has none', () => {
    const { spec } = importSpec(
      bankImport({ objective_metric: null, sagemaker_metric: null }),
      form({ max_job_runtime_seconds: '' })
    );
    expect(spec?.objective_metric).toBeNull();
    expect(spec?.max_job_runtime_seconds).toBeNull();
  });

  it('ignores selected names that cannot run', () => {
    const { spec } = importSpec(
      bankImport(),
      form({ selected: ['dpp1-xgboost', 'dpp3-knn'] })
    );
    expect(spec?.candidate_plan?.candidates.map(c => c.name)).toEqual([
      'dpp1-xgboost'
    ]);
  });

  it('returns the errors instead of a request', () => {
    const { spec, errors } = importSpec(
      bankImport(),
      form({ input_uri: '', selected: [] })
    );
    expect(spec).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['candidate_plan', 'input_uri']);
  });
});

describe('isNotebookPath', () => {
  it('recognises notebooks', () => {
    expect(isNotebookPath('a/SageMakerAutopilot.ipynb')).toBe(true);
    expect(isNotebookPath('A.IPYNB')).toBe(true);
    expect(isNotebookPath('data.csv')).toBe(false);
    expect(isNotebookPath('')).toBe(false);
    expect(isNotebookPath(null)).toBe(false);
  });
});
