import { MINIMIZED_METRICS, summary } from '../../__tests__/fixtures';
import { parseCsv } from '../../logic/csv';
import { setMinimizedMetrics } from '../../logic/metrics';
import { hyperparameterText, trialColumns, trialSortValue } from '../columns';
import { compareTrials } from '../comparison';
import { trialsToCsv, uniqueFileName } from '../csvExport';
import {
  bestTrialKeys,
  DEFAULT_TRIALS_FILTER,
  filterChoices,
  filterTrials,
  firstSortOrder,
  isFiltered,
  nextTrialsSort,
  sortTrials,
  trialsAriaSort
} from '../filtering';
import { experimentsToReload, mergeTrials, trialNames } from '../loading';
import { trialKey } from '../trial';
import { a1, a2, all, b1, b2, trial } from './trialFixtures';

// Metric direction comes from the server's health answer.
setMinimizedMetrics(MINIMIZED_METRICS);

describe('trials: loading', () => {
  it('identifies trials by experiment and name', () => {
    expect(trialKey(a1)).toBe('alpha/lightgbm-t001');
    expect(trialKey(b1)).not.toBe(trialKey(a1));
  });

  it('reloads everything first, then only experiments that run or changed', () => {
    const before = [
      summary({ name: 'done', status: 'Completed', candidates_completed: 3 }),
      summary({ name: 'running', status: 'InProgress' }),
      summary({ name: 'dry', status: 'Queued', dry_run: true }),
      summary({ name: 'gone' })
    ];
    expect(experimentsToReload(null, before)).toBeNull();
    const after = [
      before[0],
      summary({ name: 'running', status: 'Completed' }),
      before[2],
      summary({ name: 'new', status: 'Queued' })
    ];
    expect(experimentsToReload(before, after)).toEqual(['running', 'new']);
    // Unchanged and finished: nothing to ask.
    expect(experimentsToReload([before[0]], [before[0]])).toEqual([]);
    // A re-run changes the count of completed candidates.
    expect(
      experimentsToReload(
        [before[0]],
        [{ ...before[0], candidates_completed: 0 }]
      )
    ).toEqual(['done']);
  });

  it('merges reloaded experiments and drops deleted ones', () => {
    const fresh = trial({ name: 'new-t003', experiment: 'beta' });
    const merged = mergeTrials(all, [fresh], ['beta'], new Set(['beta']));
    expect(merged.map(trialKey)).toEqual(['beta/new-t003']);
    const kept = mergeTrials(all, [fresh], ['beta']);
    expect(kept.map(trialKey)).toEqual([
      'alpha/lightgbm-t001',
      'alpha/linear-t002',
      'beta/new-t003'
    ]);
    expect(mergeTrials(all, [fresh], null).map(trialKey)).toEqual([
      'beta/new-t003'
    ]);
  });

  it('lists metric and hyperparameter names like the server', () => {
    expect(trialNames(all)).toEqual({
      metric_names: ['AUC', 'F1', 'LogLoss'],
      hyperparameter_names: [
        'C',
        'class_weight',
        'learning_rate',
        'metric',
        'num_leaves'
      ]
    });
  });
});

describe('trials: table', () => {
  it('has fixed, metric and hyperparameter columns', () => {
    const columns = trialColumns({
      metric_names: ['F1'],
      hyperparameter_names: ['C']
    });
    expect(columns.map(c => c.id)).toEqual([
      'name',
      'experiment',
      'status',
      'algorithm',
      'objective',
      'started_at',
      'duration',
      'metric:F1',
      'hp:C'
    ]);
    expect(columns.find(c => c.id === 'metric:F1')).toMatchObject({
      kind: 'metric',
      name: 'F1',
      numeric: true
    });
    expect(columns.find(c => c.id === 'hp:C')?.kind).toBe('hyperparameter');
  });

  it('shows hyperparameters as text; None for null, empty when absent', () => {
    expect(hyperparameterText(a2, 'class_weight')).toBe('None');
    expect(hyperparameterText(a2, 'learning_rate')).toBe('');
    expect(hyperparameterText(a1, 'learning_rate')).toBe('0.1');
    const ensemble = trial({
      name: 'e',
      experiment: 'x',
      hyperparameters: { members: { a: 0.5, b: 0.5 } }
    });
    expect(hyperparameterText(ensemble, 'members')).toBe('a: 0.5, b: 0.5');
  });

  it('filters by search, experiments, status and algorithm', () => {
    const keys = (f: Partial<typeof DEFAULT_TRIALS_FILTER>) =>
      filterTrials(all, { ...DEFAULT_TRIALS_FILTER, ...f }).map(trialKey);
    expect(keys({})).toHaveLength(4);
    expect(keys({ search: 'BETA' })).toEqual([
      'beta/lightgbm-t001',
      'beta/xgboost-t002'
    ]);
    expect(keys({ search: 'linear' })).toEqual(['alpha/linear-t002']);
    expect(keys({ experiments: ['alpha'] })).toEqual([
      'alpha/lightgbm-t001',
      'alpha/linear-t002'
    ]);
    expect(keys({ status: 'InProgress' })).toEqual(['beta/xgboost-t002']);
    expect(keys({ algorithm: 'lightgbm', experiments: ['beta'] })).toEqual([
      'beta/lightgbm-t001'
    ]);
    expect(isFiltered(DEFAULT_TRIALS_FILTER)).toBe(false);
    expect(isFiltered({ ...DEFAULT_TRIALS_FILTER, search: ' x ' })).toBe(true);
  });

  it('offers every experiment, algorithm and status as a filter choice', () => {
    const choices = filterChoices(all, [summary({ name: 'empty' })]);
    expect(choices.experiments).toEqual(['alpha', 'beta', 'empty']);
    expect(choices.algorithms).toEqual(['lightgbm', 'linear', 'xgboost']);
    expect(choices.statuses).toEqual(['InProgress', 'Completed']);
  });

  it('sorts by metrics best first, missing values last', () => {
    const byF1 = sortTrials(all, {
      column: 'metric:F1',
      order: firstSortOrder('metric:F1')
    });
    expect(byF1.map(trialKey)).toEqual([
      'alpha/linear-t002',
      'alpha/lightgbm-t001',
      'beta/lightgbm-t001',
      'beta/xgboost-t002'
    ]);
    // LogLoss is minimised: smallest first; missing still last.
    expect(firstSortOrder('metric:LogLoss')).toBe('asc');
    const byLoss = sortTrials(all, { column: 'metric:LogLoss', order: 'asc' });
    expect(byLoss.map(t => t.metrics?.LogLoss ?? null)).toEqual([
      0.35,
      0.4,
      0.5,
      null
    ]);
    const desc = sortTrials(all, { column: 'metric:LogLoss', order: 'desc' });
    expect(desc[desc.length - 1]).toBe(b2);
  });

  it('sorts by fields and hyperparameters (numbers before text)', () => {
    expect(sortTrials(all, { column: 'started_at', order: 'desc' })[0]).toBe(
      b2
    );
    expect(
      sortTrials(all, { column: 'name', order: 'asc' }).map(t => t.name)
    ).toEqual([
      'lightgbm-t001',
      'lightgbm-t001',
      'linear-t002',
      'xgboost-t002'
    ]);
    expect(
      sortTrials(all, { column: 'hp:learning_rate', order: 'asc' }).map(
        trialKey
      )
    ).toEqual([
      'beta/lightgbm-t001',
      'alpha/lightgbm-t001',
      'alpha/linear-t002',
      'beta/xgboost-t002'
    ]);
    expect(trialSortValue(a2, 'hp:class_weight')).toBe('none');
    expect(trialSortValue(a2, 'status')).toBeLessThan(
      trialSortValue(
        trial({ name: 'f', experiment: 'x', status: 'Failed' }),
        'status'
      ) as number
    );
    expect(trialSortValue(a1, 'unknown')).toBeNull();
  });

  it('chooses and toggles the sort order of a header', () => {
    let sort = nextTrialsSort({ column: 'started_at', order: 'desc' }, 'name');
    expect(sort).toEqual({ column: 'name', order: 'asc' });
    sort = nextTrialsSort(sort, 'name');
    expect(sort).toEqual({ column: 'name', order: 'desc' });
    expect(trialsAriaSort(sort, 'name')).toBe('descending');
    expect(trialsAriaSort(sort, 'experiment')).toBe('none');
    // The objective sorts by the trials' goal.
    expect(firstSortOrder('objective', all)).toBe('desc');
    const minimised = [
      trial({
        name: 'r',
        experiment: 'reg',
        objective_metric: 'MSE',
        objective_goal: 'Minimize',
        objective_value: 0.1
      })
    ];
    expect(nextTrialsSort(sort, 'objective', minimised).order).toBe('asc');
  });

  it('marks the best trial of each experiment', () => {
    expect(bestTrialKeys(all)).toEqual(
      new Set(['alpha/linear-t002', 'beta/lightgbm-t001'])
    );
  });
});

describe('trials: comparison', () => {
  const rows = compareTrials([a1, a2, b1]);
  const row = (id: string) => rows.find(r => r.id === id)!;

  it('has field, metric and hyperparameter rows, one column per trial', () => {
    expect(rows.filter(r => r.section === 'field').map(r => r.name)).toEqual([
      'experiment',
      'status',
      'algorithm',
      'preprocessing',
      'objective_metric',
      'objective',
      'rank',
      'duration',
      'started_at',
      'ended_at'
    ]);
    // The objective metric first, then the others A to Z.
    expect(rows.filter(r => r.section === 'metric').map(r => r.name)).toEqual([
      'F1',
      'AUC',
      'LogLoss'
    ]);
    expect(
      rows.filter(r => r.section === 'hyperparameter').map(r => r.name)
    ).toEqual(['C', 'class_weight', 'learning_rate', 'metric', 'num_leaves']);
    for (const r of rows) {
      expect(r.texts).toHaveLength(3);
      expect(r.best).toHaveLength(3);
    }
  });

  it('flags rows whose values differ', () => {
    expect(row('field:experiment').differs).toBe(true);
    expect(row('field:status').differs).toBe(false);
    expect(row('field:objective_metric').differs).toBe(false);
    expect(row('hp:metric').texts).toEqual(['binary', '–', 'binary']);
    expect(row('hp:metric').differs).toBe(true);
    expect(compareTrials([a1, a1]).every(r => !r.differs)).toBe(true);
  });

  it('marks the best value of each metric by its goal', () => {
    expect(row('metric:F1')).toMatchObject({
      goal: 'Maximize',
      best: [false, true, false]
    });
    expect(row('metric:LogLoss')).toMatchObject({
      goal: 'Minimize',
      best: [false, true, false]
    });
    // A metric only one trial has: nothing to compare, no mark.
    expect(row('metric:AUC').texts).toEqual(['0.9000', '0.8800', '–']);
    expect(row('metric:AUC').best).toEqual([true, false, false]);
    expect(row('field:objective').best).toEqual([false, true, false]);
    expect(row('field:duration').best).toEqual([false, false, false]);
    // Ties are not "best".
    expect(compareTrials([a1, a1]).some(r => r.best.some(Boolean))).toBe(false);
  });

  it('does not rank objectives of different metrics', () => {
    const regression = trial({
      name: 'r',
      experiment: 'reg',
      objective_metric: 'MSE',
      objective_goal: 'Minimize',
      objective_value: 0.1,
      metrics: { MSE: 0.1 }
    });
    const objective = compareTrials([a1, regression]).find(
      r => r.id === 'field:objective'
    )!;
    expect(objective.best).toEqual([false, false]);
    expect(objective.goal).toBeNull();
  });
});

describe('trials: CSV export', () => {
  it('writes one quoted row per trial with prefixed columns', () => {
    const tricky = trial({
      name: 'odd, "quoted"',
      experiment: 'gamma',
      objective_value: 0.123456789,
      metrics: { F1: 0.123456789 },
      hyperparameters: { members: { a: 1 }, note: 'line\nbreak', flag: true }
    });
    const text = trialsToCsv([a2, tricky]);
    expect(text.endsWith('\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([
      'experiment',
      'name',
      'status',
      'algorithm',
      'preprocessing',
      'objective_metric',
      'objective_goal',
      'objective',
      'best',
      'rank',
      'started_at',
      'ended_at',
      'duration_s',
      'validation:AUC',
      'validation:F1',
      'validation:LogLoss',
      'hp:C',
      'hp:class_weight',
      'hp:flag',
      'hp:members',
      'hp:note'
    ]);
    expect(rows).toHaveLength(3);
    const header = rows[0];
    const get = (row: string[], column: string) => row[header.indexOf(column)];
    expect(get(rows[1], 'best')).toBe('true');
    expect(get(rows[1], 'validation:AUC')).toBe('0.88');
    expect(get(rows[1], 'hp:class_weight')).toBe('');
    expect(get(rows[2], 'name')).toBe('odd, "quoted"');
    expect(get(rows[2], 'objective')).toBe('0.123456789');
    expect(get(rows[2], 'hp:members')).toBe('{"a":1}');
    expect(get(rows[2], 'hp:note')).toBe('line\nbreak');
    expect(get(rows[2], 'hp:flag')).toBe('true');
    expect(get(rows[2], 'validation:AUC')).toBe('');
    expect(text).toContain('"odd, ""quoted"""');
  });

  it('adds train metrics and handles an empty list', () => {
    expect(parseCsv(trialsToCsv([a1]))[0]).toContain('train:F1');
    expect(parseCsv(trialsToCsv([]))).toHaveLength(1);
  });

  it('picks a file name that is not taken', () => {
    expect(uniqueFileName([])).toBe('autopilot-trials.csv');
    expect(
      uniqueFileName(['autopilot-trials.csv', 'autopilot-trials-1.csv'])
    ).toBe('autopilot-trials-2.csv');
  });
});
