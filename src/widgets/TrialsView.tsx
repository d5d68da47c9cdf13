import type { Contents } from '@jupyterlab/services';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  addIcon,
  Button,
  closeIcon,
  downloadIcon,
  HTMLSelect,
  InputGroup
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type { ExperimentSummary, Trial } from '../api/types';
import {
  metricScatterSpec,
  objectiveOverTimeSpec,
  parallelCoordinatesSpec
} from '../charts/trials';
import { VegaChart } from '../common/charts/VegaChart';
import {
  ButtonIcon,
  ErrorMessage,
  Loading,
  Notice,
  RefreshButton,
  Section,
  Spinner,
  StatusBadge,
  TransContext,
  TRANSLATION_DOMAIN,
  useTrans
} from '../common/components';
import {
  formatDateTime,
  formatDuration,
  formatMetric,
  formatRelativeTime
} from '../format';
import { isNotFound } from '../logic/errors';
import { statusLabel } from '../logic/stages';
import {
  bestTrialKeys,
  chartHyperparameters,
  compareTrials,
  defaultChartHyperparameter,
  defaultChartMetric,
  DEFAULT_TRIALS_FILTER,
  DEFAULT_TRIALS_SORT,
  experimentRunning,
  experimentsToReload,
  filterChoices,
  filterTrials,
  hyperparameterText,
  IComparisonRow,
  isFiltered,
  ITrialColumn,
  ITrialsFilter,
  ITrialsSort,
  mergeTrials,
  metricValue,
  nextTrialsSort,
  objectiveTimeline,
  parallelData,
  scatterData,
  sortTrials,
  trialColumns,
  trialKey,
  trialNames,
  trialsAriaSort,
  trialsToCsv,
  uniqueFileName
} from '../logic/trials';
import { AutopilotModel, IAutopilotActions } from '../model';
import { PolledView } from '../common/poll';

/** Trials asked for in one request (the API's maximum). */
const MAX_TRIALS = 10000;

/** Rows rendered at first, and added by "Show more" (large tables stay fast). */
const PAGE_SIZE = 200;

/** The candidate statuses a trial can have, in filter order. */
const TRIAL_STATUSES = [
  'InProgress',
  'Completed',
  'Failed',
  'Stopped',
  'Pruned'
] as const;

/** What the view knows: the experiments and the trials of all of them. */
interface ITrialsData {
  experiments: ExperimentSummary[] | null;
  trials: Trial[] | null;
  /** The server had more trials than one request returns. */
  truncated: boolean;
  error: unknown;
}

/**
 * The "Experiments and trials" view (main area), like SageMaker Studio's: every
 * trial of every experiment in one sortable, filterable table, with metrics and
 * hyperparameters as columns, a side-by-side comparison of chosen trials, charts
 * across experiments and a CSV export. Polls while an experiment runs.
 */
export class TrialsView extends PolledView {
  constructor(options: TrialsView.IOptions) {
    super('jupyter-autopilot:trials', () => options.model.timing);
    this.model = options.model;
    this.actions = options.actions;
    this.contents = options.contents;
    this.translator = options.translator ?? nullTranslator;
    this.addClass('jp-AutopilotTrials');
    this.addClass('jp-Autopilot-view');
    this.model.experimentsChanged.connect(() => void this.refresh(), this);
  }

  readonly model: AutopilotModel;

  /** Load now (everything again when `full`) and poll fast again. */
  async refresh(full = false): Promise<void> {
    if (full) {
      this.fullReload = true;
    }
    await super.refresh();
  }

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <TrialsBody
          data={this.data}
          actions={this.actions}
          contents={this.contents}
          onRefresh={() => void this.refresh(true)}
        />
      </TransContext.Provider>
    );
  }

  /**
   * One poll tick: the experiments list, then the trials of the experiments that
   * changed or run (all of them the first time). Resolves true while one runs.
   */
  protected async load(): Promise<boolean> {
    let experiments: ExperimentSummary[];
    try {
      experiments = (await this.model.client.listExperiments({ limit: 1000 }))
        .experiments;
      const previous = this.fullReload ? null : this.data.experiments;
      this.fullReload = false;
      let reload = experimentsToReload(previous, experiments);
      const known = new Set(experiments.map(e => e.name));
      let trials = this.data.trials ?? [];
      let truncated = this.data.truncated;
      if (reload === null || reload.length > 0) {
        const query = { limit: MAX_TRIALS };
        let answer;
        try {
          answer = await this.model.client.listTrials(
            reload === null ? query : { ...query, experiments: reload }
          );
        } catch (error) {
          // An experiment deleted since the list was read: ask for everything.
          if (reload === null || !isNotFound(error)) {
            throw error;
          }
          reload = null;
          answer = await this.model.client.listTrials(query);
        }
        const more = answer.total > answer.trials.length;
        truncated = reload === null ? more : truncated || more;
        trials = mergeTrials(trials, answer.trials, reload, known);
      } else {
        trials = mergeTrials(trials, [], [], known);
      }
      this.data = { experiments, trials, truncated, error: null };
    } catch (error) {
      this.data = { ...this.data, error };
      this.update();
      throw error;
    }
    this.update();
    return experiments.some(experimentRunning);
  }

  private data: ITrialsData = {
    experiments: null,
    trials: null,
    truncated: false,
    error: null
  };
  private fullReload = false;
  private actions: IAutopilotActions;
  private contents: Contents.IManager;
  private translator: ITranslator;
}

export namespace TrialsView {
  export interface IOptions {
    model: AutopilotModel;
    actions: IAutopilotActions;
    /** Where "Export CSV" writes (the Jupyter server's contents). */
    contents: Contents.IManager;
    translator?: ITranslator;
  }
}

/** "BalancedAccuracy" with line-break opportunities between words (narrow headers). */
function breakCamelCase(label: string): React.ReactNode {
  const parts = label.split(/(?<=[a-z])(?=[A-Z])/);
  return parts.length < 2
    ? label
    : parts.map((part, i) => (
        <React.Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </React.Fragment>
      ));
}

/** The same object while its JSON does not change (charts re-render only on change). */
function useStable<T>(value: T): T {
  const ref = React.useRef<{ json: string; value: T } | null>(null);
  const json = JSON.stringify(value);
  if (!ref.current || ref.current.json !== json) {
    ref.current = { json, value };
  }
  return ref.current.value;
}

function fieldLabel(name: string, trans: TranslationBundle): string {
  const labels: Record<string, string> = {
    name: trans.__('Trial'),
    experiment: trans.__('Experiment'),
    status: trans.__('Status'),
    algorithm: trans.__('Algorithm'),
    preprocessing: trans.__('Preprocessing'),
    objective_metric: trans.__('Objective metric'),
    objective: trans.__('Objective'),
    rank: trans.__('Rank'),
    started_at: trans.__('Started'),
    ended_at: trans.__('Ended'),
    duration: trans.__('Duration')
  };
  return labels[name] ?? name;
}

function trialStatusLabel(status: string, trans: TranslationBundle): string {
  return status === 'InProgress'
    ? trans.__('Training')
    : statusLabel(status, trans);
}

/** The state of the last CSV export. */
interface IExportState {
  busy: boolean;
  path?: string;
  count?: number;
  error?: unknown;
}

function TrialsBody(props: {
  data: ITrialsData;
  actions: IAutopilotActions;
  contents: Contents.IManager;
  onRefresh: () => void;
}): JSX.Element {
  const trans = useTrans();
  const { data, actions } = props;
  const all = data.trials ?? [];
  const experiments = data.experiments ?? [];
  const [filter, setFilter] = React.useState<ITrialsFilter>(
    DEFAULT_TRIALS_FILTER
  );
  const [sort, setSort] = React.useState<ITrialsSort>(DEFAULT_TRIALS_SORT);
  const [selected, setSelected] = React.useState<string[]>([]);
  const [comparing, setComparing] = React.useState(false);
  const [showHyperparameters, setShowHyperparameters] = React.useState(true);
  const [shown, setShown] = React.useState(PAGE_SIZE);
  const [exported, setExported] = React.useState<IExportState>({
    busy: false
  });
  const compareRef = React.useRef<HTMLHeadingElement>(null);

  const choices = React.useMemo(
    () => filterChoices(all, experiments),
    [all, experiments]
  );
  const filtered = React.useMemo(
    () => filterTrials(all, filter),
    [all, filter]
  );
  const rows = React.useMemo(
    () => sortTrials(filtered, sort),
    [filtered, sort]
  );
  const columns = React.useMemo(() => {
    const names = trialNames(filtered);
    return trialColumns({
      metric_names: names.metric_names,
      hyperparameter_names: showHyperparameters
        ? names.hyperparameter_names
        : []
    });
  }, [filtered, showHyperparameters]);
  const best = React.useMemo(() => bestTrialKeys(all), [all]);
  const byKey = React.useMemo(
    () => new Map(all.map(t => [trialKey(t), t])),
    [all]
  );
  const selectedTrials = selected
    .map(key => byKey.get(key))
    .filter((t): t is Trial => !!t);
  const selectedSet = React.useMemo(() => new Set(selected), [selected]);
  const running = experiments.filter(experimentRunning);

  const update = (patch: Partial<ITrialsFilter>) => {
    setFilter(f => ({ ...f, ...patch }));
    setShown(PAGE_SIZE);
  };
  const toggle = (key: string, on: boolean) =>
    setSelected(list =>
      on ? [...list.filter(k => k !== key), key] : list.filter(k => k !== key)
    );
  const visibleKeys = rows.map(trialKey);
  const allVisibleSelected =
    visibleKeys.length > 0 && visibleKeys.every(k => selectedSet.has(k));
  const someVisibleSelected = visibleKeys.some(k => selectedSet.has(k));

  const compare = () => {
    setComparing(true);
    // Once the pane is rendered, take the user (and the focus) there.
    window.requestAnimationFrame(() => {
      compareRef.current?.scrollIntoView?.({ block: 'start' });
      compareRef.current?.focus();
    });
  };

  const exportCsv = async () => {
    setExported({ busy: true });
    try {
      const text = trialsToCsv(rows);
      const root = await props.contents.get('', { content: true });
      const taken = ((root.content ?? []) as Contents.IModel[]).map(
        item => item.name
      );
      const path = uniqueFileName(taken);
      await props.contents.save(path, {
        type: 'file',
        format: 'text',
        content: text
      });
      setExported({ busy: false, path, count: rows.length });
    } catch (error) {
      setExported({ busy: false, error });
    }
  };

  if (data.trials === null) {
    return (
      <div className="jp-Autopilot-viewBody">
        <TrialsHeader
          onRefresh={props.onRefresh}
          onExport={() => void exportCsv()}
          exportDisabled
          exporting={false}
        />
        {data.error ? (
          <ErrorMessage
            error={data.error}
            title={trans.__('Cannot load the trials.')}
            onRetry={props.onRefresh}
          />
        ) : (
          <Loading
            label={trans.__('Loading the trials of every experiment…')}
          />
        )}
      </div>
    );
  }

  return (
    <div className="jp-Autopilot-viewBody">
      <TrialsHeader
        onRefresh={props.onRefresh}
        onExport={() => void exportCsv()}
        exportDisabled={rows.length === 0 || exported.busy}
        exporting={exported.busy}
      />
      {all.length > 0 && (
        <div
          className="jp-AutopilotTrials-filters"
          role="search"
          aria-label={trans.__('Filter trials')}
        >
          <InputGroup
            type="search"
            className="jp-AutopilotTrials-search"
            aria-label={trans.__('Search trials')}
            placeholder={trans.__('Search trial, experiment or algorithm')}
            value={filter.search}
            rightIcon="ui-components:search"
            onChange={e =>
              update({ search: (e.target as HTMLInputElement).value })
            }
          />
          <ExperimentPicker
            choices={choices.experiments}
            value={filter.experiments}
            onChange={value => update({ experiments: value })}
          />
          <HTMLSelect
            aria-label={trans.__('Status filter')}
            value={filter.status}
            onChange={e =>
              update({ status: e.target.value as ITrialsFilter['status'] })
            }
            options={[
              { value: '', label: trans.__('All statuses') },
              ...TRIAL_STATUSES.map(s => ({
                value: s,
                label: trialStatusLabel(s, trans)
              }))
            ]}
          />
          <HTMLSelect
            aria-label={trans.__('Algorithm filter')}
            value={filter.algorithm}
            onChange={e => update({ algorithm: e.target.value })}
            options={[
              { value: '', label: trans.__('All algorithms') },
              ...choices.algorithms.map(a => ({ value: a, label: a }))
            ]}
          />
          <label className="jp-Autopilot-checkbox">
            <input
              type="checkbox"
              checked={showHyperparameters}
              onChange={e => setShowHyperparameters(e.target.checked)}
            />
            {trans.__('Hyperparameter columns')}
          </label>
          {isFiltered(filter) && (
            <Button small minimal onClick={() => update(DEFAULT_TRIALS_FILTER)}>
              {trans.__('Clear filters')}
            </Button>
          )}
        </div>
      )}
      <div className="jp-Autopilot-statusLine" role="status" aria-live="polite">
        {all.length > 0 && (
          <span data-testid="trials-count">
            {filtered.length === all.length
              ? trans._n('%1 trial', '%1 trials', all.length)
              : trans.__('%1 of %2 trials', filtered.length, all.length)}
            {' · '}
            {trans._n(
              '%1 experiment',
              '%1 experiments',
              new Set(filtered.map(t => t.experiment)).size
            )}
          </span>
        )}
        {running.length > 0 && (
          <span className="jp-Autopilot-muted">
            <Spinner />{' '}
            {trans._n(
              '%1 experiment running: updating live',
              '%1 experiments running: updating live',
              running.length
            )}
          </span>
        )}
      </div>
      {data.truncated && (
        <Notice kind="warning">
          {trans.__(
            'Only the first %1 trials are listed. Clean up old experiments to see the others.',
            MAX_TRIALS
          )}
        </Notice>
      )}
      <ErrorMessage
        error={data.error}
        title={trans.__('Cannot refresh:')}
        onRetry={props.onRefresh}
      />
      {exported.error !== undefined && (
        <ErrorMessage
          error={exported.error}
          title={trans.__('Export failed.')}
          onDismiss={() => setExported({ busy: false })}
        />
      )}
      {exported.path && (
        <div
          className="jp-Autopilot-notice jp-mod-success jp-AutopilotTrials-exported"
          role="status"
        >
          <span>
            {trans._n(
              'Exported %1 trial to %2 (in the Jupyter root folder).',
              'Exported %1 trials to %2 (in the Jupyter root folder).',
              exported.count ?? 0,
              exported.path
            )}
          </span>
          <Button
            small
            onClick={() => void actions.openPath(exported.path as string)}
          >
            {trans.__('Open %1', exported.path)}
          </Button>
          <Button
            small
            minimal
            aria-label={trans.__('Dismiss')}
            title={trans.__('Dismiss')}
            onClick={() => setExported({ busy: false })}
          >
            <closeIcon.react tag="span" />
          </Button>
        </div>
      )}

      {all.length === 0 ? (
        <EmptyTrials
          experiments={experiments}
          running={running.length > 0}
          onCreate={() => actions.createExperiment()}
        />
      ) : (
        <>
          <Section
            title={trans.__('Trials')}
            id="jp-autopilot-trials-table"
            actions={
              <>
                {selected.length > 0 && (
                  <span className="jp-Autopilot-muted">
                    {trans._n(
                      '%1 selected',
                      '%1 selected',
                      selectedTrials.length
                    )}
                  </span>
                )}
                <Button
                  small
                  className="jp-Autopilot-primary"
                  disabled={selectedTrials.length < 2}
                  title={
                    selectedTrials.length < 2
                      ? trans.__(
                          'Tick two or more trials to compare them side by side'
                        )
                      : trans.__('Compare the selected trials side by side')
                  }
                  onClick={compare}
                >
                  {trans.__('Compare')}
                </Button>
                {selected.length > 0 && (
                  <Button small minimal onClick={() => setSelected([])}>
                    {trans.__('Clear selection')}
                  </Button>
                )}
              </>
            }
          >
            {rows.length === 0 ? (
              <div className="jp-AutopilotTrials-empty">
                <p>{trans.__('No trial matches the filters.')}</p>
                <Button small onClick={() => update(DEFAULT_TRIALS_FILTER)}>
                  {trans.__('Clear filters')}
                </Button>
              </div>
            ) : (
              <TrialsTable
                rows={rows.slice(0, shown)}
                columns={columns}
                sort={sort}
                onSort={column =>
                  setSort(s => nextTrialsSort(s, column, filtered))
                }
                best={best}
                selected={selectedSet}
                onToggle={toggle}
                allSelected={allVisibleSelected}
                someSelected={someVisibleSelected}
                onToggleAll={on =>
                  setSelected(list =>
                    on
                      ? [...list, ...visibleKeys.filter(k => !list.includes(k))]
                      : list.filter(k => !visibleKeys.includes(k))
                  )
                }
                onOpenExperiment={name => actions.openExperiment(name)}
              />
            )}
            {rows.length > shown && (
              <div className="jp-AutopilotTrials-more">
                <span className="jp-Autopilot-muted">
                  {trans.__('Showing %1 of %2 trials.', shown, rows.length)}
                </span>
                <Button small onClick={() => setShown(n => n + PAGE_SIZE)}>
                  {trans.__('Show %1 more', PAGE_SIZE)}
                </Button>
              </div>
            )}
          </Section>

          {comparing && (
            <ComparePane
              trials={selectedTrials}
              headingRef={compareRef}
              onRemove={key => toggle(key, false)}
              onClose={() => setComparing(false)}
            />
          )}

          <TrialCharts
            trials={filtered}
            experiments={choices.experiments}
            selected={selectedSet}
          />
        </>
      )}
    </div>
  );
}

function TrialsHeader(props: {
  onRefresh: () => void;
  onExport: () => void;
  exportDisabled: boolean;
  exporting: boolean;
}): JSX.Element {
  const trans = useTrans();
  return (
    <header className="jp-Autopilot-viewHeader">
      <h2>{trans.__('Experiments and trials')}</h2>
      <span className="jp-Autopilot-spacer" />
      <div
        className="jp-Autopilot-toolbar"
        role="toolbar"
        aria-label={trans.__('Trials actions')}
      >
        <Button
          onClick={props.onExport}
          disabled={props.exportDisabled}
          title={trans.__(
            'Save the listed trials as autopilot-trials.csv in the Jupyter root folder'
          )}
        >
          {props.exporting ? <Spinner /> : <ButtonIcon icon={downloadIcon} />}
          {trans.__('Export CSV')}
        </Button>
        <RefreshButton onClick={props.onRefresh} />
      </div>
    </header>
  );
}

/**
 * A multi-select of experiments: a disclosure button opening a list of
 * checkboxes (keyboard: Enter/Space opens, Tab moves, Escape closes). No
 * experiment ticked means all of them.
 */
function ExperimentPicker(props: {
  choices: string[];
  value: readonly string[];
  onChange: (value: string[]) => void;
}): JSX.Element {
  const trans = useTrans();
  const ref = React.useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = React.useState(false);

  React.useEffect(() => {
    if (!open) {
      return;
    }
    const onPointer = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) {
        ref.current.open = false;
      }
    };
    document.addEventListener('mousedown', onPointer);
    return () => document.removeEventListener('mousedown', onPointer);
  }, [open]);

  const chosen = new Set(props.value);
  const summary =
    props.value.length === 0
      ? trans.__('All experiments')
      : props.value.length === 1
        ? props.value[0]
        : trans.__('%1 experiments', props.value.length);
  return (
    <details
      ref={ref}
      className="jp-AutopilotTrials-picker"
      onToggle={() => setOpen(!!ref.current?.open)}
      onKeyDown={event => {
        if (event.key === 'Escape' && ref.current?.open) {
          event.stopPropagation();
          ref.current.open = false;
          ref.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary
        className="jp-AutopilotTrials-pickerButton"
        aria-label={trans.__('Experiments: %1', summary)}
      >
        <span className="jp-AutopilotTrials-pickerText">{summary}</span>
      </summary>
      <div
        className="jp-AutopilotTrials-pickerMenu"
        role="group"
        aria-label={trans.__('Experiments to show')}
      >
        <label className="jp-Autopilot-checkbox">
          <input
            type="checkbox"
            checked={props.value.length === 0}
            onChange={() => props.onChange([])}
          />
          {trans.__('All experiments')}
        </label>
        {props.choices.map(name => (
          <label key={name} className="jp-Autopilot-checkbox">
            <input
              type="checkbox"
              checked={chosen.has(name)}
              onChange={e =>
                props.onChange(
                  e.target.checked
                    ? [...props.value, name]
                    : props.value.filter(n => n !== name)
                )
              }
            />
            {name}
          </label>
        ))}
      </div>
    </details>
  );
}

function TrialsTable(props: {
  rows: Trial[];
  columns: ITrialColumn[];
  sort: ITrialsSort;
  onSort: (column: string) => void;
  best: ReadonlySet<string>;
  selected: ReadonlySet<string>;
  onToggle: (key: string, on: boolean) => void;
  allSelected: boolean;
  someSelected: boolean;
  onToggleAll: (on: boolean) => void;
  onOpenExperiment: (name: string) => void;
}): JSX.Element {
  const trans = useTrans();
  const selectAll = React.useRef<HTMLInputElement>(null);
  React.useEffect(() => {
    if (selectAll.current) {
      selectAll.current.indeterminate =
        props.someSelected && !props.allSelected;
    }
  }, [props.someSelected, props.allSelected]);

  const header = (column: ITrialColumn) => {
    const label =
      column.kind === 'field' ? fieldLabel(column.name, trans) : column.name;
    const sorted = trialsAriaSort(props.sort, column.id);
    return (
      <th
        key={column.id}
        scope="col"
        aria-sort={sorted}
        className={[
          column.numeric ? 'jp-mod-numeric' : '',
          column.kind === 'hyperparameter' ? 'jp-AutopilotTrials-hp' : '',
          column.kind === 'metric' ? 'jp-AutopilotTrials-metric' : ''
        ].join(' ')}
        data-column={column.id}
        title={
          column.kind === 'hyperparameter'
            ? trans.__('Hyperparameter %1', column.name)
            : column.kind === 'metric'
              ? trans.__('Validation metric %1', column.name)
              : undefined
        }
      >
        <button
          className="jp-Autopilot-sortButton"
          onClick={() => props.onSort(column.id)}
          aria-label={label}
        >
          {breakCamelCase(label)}
          <span className="jp-Autopilot-sortMark" aria-hidden="true">
            {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : ''}
          </span>
        </button>
      </th>
    );
  };

  const cell = (t: Trial, column: ITrialColumn, key: string) => {
    switch (column.id) {
      case 'name':
        return (
          <th scope="row" key={column.id}>
            <button
              className="jp-Autopilot-linkButton"
              onClick={() => props.onOpenExperiment(t.experiment)}
              title={trans.__('Open experiment %1', t.experiment)}
            >
              {t.name}
            </button>
            {props.best.has(key) && (
              <span
                className="jp-Autopilot-bestMark"
                title={trans.__('Best trial of %1', t.experiment)}
              >
                ★ {trans.__('Best')}
              </span>
            )}
          </th>
        );
      case 'experiment':
        return <td key={column.id}>{t.experiment}</td>;
      case 'status':
        return (
          <td key={column.id}>
            {t.status === 'InProgress' && <Spinner />}
            <StatusBadge
              status={t.status}
              label={trialStatusLabel(t.status, trans)}
              title={t.failure_reason ?? undefined}
            />
          </td>
        );
      case 'algorithm':
        return <td key={column.id}>{t.algorithm}</td>;
      case 'objective':
        return (
          <td
            key={column.id}
            className="jp-mod-numeric jp-Autopilot-objectiveCell"
          >
            {t.objective_metric && (
              <span className="jp-AutopilotTrials-metricName">
                {t.objective_metric}{' '}
              </span>
            )}
            {formatMetric(t.objective_value)}
          </td>
        );
      case 'started_at':
        return (
          <td key={column.id} title={formatDateTime(t.started_at)}>
            {formatRelativeTime(t.started_at, Date.now(), trans)}
          </td>
        );
      case 'duration':
        return (
          <td key={column.id} className="jp-mod-numeric">
            {t.status !== 'InProgress'
              ? formatDuration(t.duration_seconds)
              : ''}
          </td>
        );
    }
    if (column.kind === 'metric') {
      const value = metricValue(t, column.name);
      return (
        <td
          key={column.id}
          className={`jp-mod-numeric${value === null ? ' jp-AutopilotTrials-none' : ''}`}
        >
          {formatMetric(value)}
        </td>
      );
    }
    const text = hyperparameterText(t, column.name);
    return (
      <td
        key={column.id}
        className={`jp-AutopilotTrials-hpValue${text ? '' : ' jp-AutopilotTrials-none'}`}
        title={text.length > 24 ? text : undefined}
      >
        {text || '–'}
      </td>
    );
  };

  return (
    <div className="jp-Autopilot-tableScroll jp-AutopilotTrials-tableScroll">
      <table
        className="jp-Autopilot-table jp-AutopilotTrials-table"
        aria-label={trans.__('Trials of all experiments')}
      >
        <thead>
          <tr>
            <th scope="col" className="jp-AutopilotTrials-check">
              <input
                ref={selectAll}
                type="checkbox"
                aria-label={trans.__('Select all listed trials')}
                checked={props.allSelected}
                onChange={e => props.onToggleAll(e.target.checked)}
              />
            </th>
            {props.columns.map(header)}
          </tr>
        </thead>
        <tbody>
          {props.rows.map(t => {
            const key = trialKey(t);
            const selected = props.selected.has(key);
            return (
              <tr
                key={key}
                data-trial={key}
                data-experiment={t.experiment}
                aria-selected={selected}
                className={[
                  selected ? 'jp-mod-selected' : '',
                  props.best.has(key) ? 'jp-mod-best' : '',
                  t.status === 'InProgress' ? 'jp-mod-running' : ''
                ].join(' ')}
              >
                <td className="jp-AutopilotTrials-check">
                  <input
                    type="checkbox"
                    aria-label={trans.__(
                      'Select %1 of %2',
                      t.name,
                      t.experiment
                    )}
                    checked={selected}
                    onChange={e => props.onToggle(key, e.target.checked)}
                  />
                </td>
                {props.columns.map(column => cell(t, column, key))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The chosen trials side by side; differing rows flagged, best metric values marked. */
function ComparePane(props: {
  trials: Trial[];
  headingRef: React.RefObject<HTMLHeadingElement>;
  onRemove: (key: string) => void;
  onClose: () => void;
}): JSX.Element {
  const trans = useTrans();
  const [onlyDifferences, setOnlyDifferences] = React.useState(false);
  const rows = React.useMemo(() => compareTrials(props.trials), [props.trials]);
  const shown = onlyDifferences ? rows.filter(r => r.differs) : rows;
  const sections: Array<[IComparisonRow['section'], string]> = [
    ['field', trans.__('Trial')],
    ['metric', trans.__('Validation metrics')],
    ['hyperparameter', trans.__('Hyperparameters')]
  ];
  const differing = rows.filter(r => r.differs).length;
  return (
    <section
      className="jp-Autopilot-section jp-AutopilotTrials-compare"
      aria-labelledby="jp-autopilot-trials-compare-title"
    >
      <header className="jp-Autopilot-sectionHeader">
        <h3
          id="jp-autopilot-trials-compare-title"
          ref={props.headingRef}
          tabIndex={-1}
        >
          {trans.__('Compare trials')}
        </h3>
        <div className="jp-Autopilot-sectionActions">
          <label className="jp-Autopilot-checkbox">
            <input
              type="checkbox"
              checked={onlyDifferences}
              onChange={e => setOnlyDifferences(e.target.checked)}
            />
            {trans.__('Only differences')}
          </label>
          <Button
            small
            minimal
            aria-label={trans.__('Close the comparison')}
            title={trans.__('Close')}
            onClick={props.onClose}
          >
            <closeIcon.react tag="span" />
          </Button>
        </div>
      </header>
      {props.trials.length < 2 ? (
        <p className="jp-Autopilot-muted jp-Autopilot-placeholder">
          {trans.__('Tick two or more trials in the table to compare them.')}
        </p>
      ) : (
        <>
          <p className="jp-Autopilot-muted">
            {trans._n(
              '%1 row differs (marked ≠); ★ marks the best value of each metric.',
              '%1 rows differ (marked ≠); ★ marks the best value of each metric.',
              differing
            )}
          </p>
          <div className="jp-Autopilot-tableScroll">
            <table
              className="jp-Autopilot-table jp-AutopilotTrials-compareTable"
              aria-label={trans.__('Trial comparison')}
            >
              <thead>
                <tr>
                  <th scope="col">
                    <span className="jp-Autopilot-srOnly">
                      {trans.__('Field')}
                    </span>
                  </th>
                  {props.trials.map(t => (
                    <th scope="col" key={trialKey(t)}>
                      <span className="jp-AutopilotTrials-compareName">
                        {t.name}
                      </span>
                      <span className="jp-Autopilot-muted">
                        {' '}
                        {t.experiment}
                      </span>
                      <Button
                        small
                        minimal
                        aria-label={trans.__(
                          'Remove %1 of %2 from the comparison',
                          t.name,
                          t.experiment
                        )}
                        title={trans.__('Remove from the comparison')}
                        onClick={() => props.onRemove(trialKey(t))}
                      >
                        <closeIcon.react tag="span" />
                      </Button>
                    </th>
                  ))}
                </tr>
              </thead>
              {sections.map(([section, title]) => {
                const group = shown.filter(r => r.section === section);
                if (!group.length) {
                  return null;
                }
                return (
                  <tbody key={section}>
                    <tr className="jp-AutopilotTrials-group">
                      <th scope="colgroup" colSpan={props.trials.length + 1}>
                        {title}
                      </th>
                    </tr>
                    {group.map(row => (
                      <tr
                        key={row.id}
                        data-row={row.id}
                        className={row.differs ? 'jp-mod-differs' : undefined}
                      >
                        <th scope="row">
                          {row.section === 'field'
                            ? fieldLabel(row.name, trans)
                            : row.name}
                          {row.differs && (
                            <span
                              className="jp-AutopilotTrials-differs"
                              title={trans.__('The values differ')}
                            >
                              {' ≠'}
                              <span className="jp-Autopilot-srOnly">
                                {trans.__('(values differ)')}
                              </span>
                            </span>
                          )}
                          {row.goal && row.section === 'metric' && (
                            <span className="jp-Autopilot-muted">
                              {row.goal === 'Maximize'
                                ? trans.__(' (higher is better)')
                                : trans.__(' (lower is better)')}
                            </span>
                          )}
                        </th>
                        {row.texts.map((text, i) => (
                          <td
                            key={i}
                            className={[
                              row.section !== 'hyperparameter' &&
                              row.section !== 'field'
                                ? 'jp-mod-numeric'
                                : '',
                              row.best[i] ? 'jp-mod-bestValue' : ''
                            ].join(' ')}
                          >
                            {text}
                            {row.best[i] && (
                              <span
                                className="jp-AutopilotTrials-bestValue"
                                title={trans.__('Best value')}
                              >
                                {' ★'}
                                <span className="jp-Autopilot-srOnly">
                                  {trans.__('(best)')}
                                </span>
                              </span>
                            )}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                );
              })}
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The three charts over the listed trials, coloured by experiment. */
function TrialCharts(props: {
  trials: Trial[];
  experiments: string[];
  selected: ReadonlySet<string>;
}): JSX.Element {
  const trans = useTrans();
  const { trials, experiments, selected } = props;
  const [metricChoice, setMetricChoice] = React.useState<string | null>(null);
  const [hpChoice, setHpChoice] = React.useState<string | null>(null);
  const metrics = React.useMemo(
    () => trialNames(trials).metric_names,
    [trials]
  );
  const metric =
    metricChoice && metrics.includes(metricChoice)
      ? metricChoice
      : defaultChartMetric(trials);
  const hyperparameters = React.useMemo(
    () =>
      chartHyperparameters(
        metric ? trials.filter(t => metricValue(t, metric) !== null) : trials
      ),
    [trials, metric]
  );
  const hyperparameter =
    hpChoice && hyperparameters.includes(hpChoice)
      ? hpChoice
      : defaultChartHyperparameter(trials, metric);

  const timeline = useStable(
    React.useMemo(
      () =>
        objectiveOverTimeSpec(
          objectiveTimeline(trials),
          {
            time: trans.__('Trial ended'),
            objective: trans.__('Objective value'),
            bestSoFar: trans.__('Best so far'),
            experiment: trans.__('Experiment'),
            trial: trans.__('Trial'),
            metric: trans.__('Objective metric')
          },
          experiments,
          selected
        ),
      [trials, experiments, selected, trans]
    )
  );
  const scatter = useStable(
    React.useMemo(
      () =>
        metric && hyperparameter
          ? metricScatterSpec(
              scatterData(trials, metric, hyperparameter, selected),
              {
                metric,
                hyperparameter,
                experiment: trans.__('Experiment'),
                trial: trans.__('Trial'),
                algorithm: trans.__('Algorithm')
              },
              experiments
            )
          : null,
      [trials, metric, hyperparameter, experiments, selected, trans]
    )
  );
  const parallelValues = React.useMemo(
    () => (metric ? parallelData(trials, metric, selected) : null),
    [trials, metric, selected]
  );
  const parallel = useStable(
    React.useMemo(
      () =>
        parallelValues
          ? parallelCoordinatesSpec(
              parallelValues,
              {
                experiment: trans.__('Experiment'),
                trial: trans.__('Trial'),
                axis: trans.__('Axis'),
                value: trans.__('Value')
              },
              experiments
            )
          : null,
      [parallelValues, experiments, trans]
    )
  );
  const timelineCount = (timeline as any).data?.values?.length ?? 0;
  const scatterCount = (scatter as any)?.data?.values?.length ?? 0;
  const parallelCount = parallelValues
    ? new Set(parallelValues.values.map(v => v.key)).size
    : 0;
  const chartError = trans.__('The chart could not be drawn:');

  return (
    <Section
      title={trans.__('Charts')}
      id="jp-autopilot-trials-charts"
      actions={
        metrics.length > 0 ? (
          <label className="jp-AutopilotTrials-chartPick">
            {trans.__('Metric')}
            <HTMLSelect
              aria-label={trans.__('Chart metric')}
              value={metric ?? ''}
              onChange={e => setMetricChoice(e.target.value)}
              options={metrics.map(m => ({ value: m, label: m }))}
            />
          </label>
        ) : undefined
      }
    >
      <div className="jp-Autopilot-charts jp-AutopilotTrials-charts">
        <div className="jp-Autopilot-chartBox" data-chart="objective-over-time">
          <h5>{trans.__('Objective over time')}</h5>
          {timelineCount > 0 ? (
            <VegaChart
              spec={timeline}
              label={trans.__(
                'Objective value of each finished trial by end time, per experiment, with the best so far'
              )}
              minHeight={300}
              errorText={chartError}
            />
          ) : (
            <ChartPlaceholder
              text={trans.__('No finished trial has an objective value yet.')}
            />
          )}
        </div>
        <div className="jp-Autopilot-chartBox" data-chart="metric-scatter">
          <div className="jp-AutopilotTrials-chartHead">
            <h5>
              {metric && hyperparameter
                ? trans.__('%1 by %2', metric, hyperparameter)
                : trans.__('Metric by hyperparameter')}
            </h5>
            {hyperparameters.length > 0 && (
              <label className="jp-AutopilotTrials-chartPick">
                {trans.__('Hyperparameter')}
                <HTMLSelect
                  aria-label={trans.__('Chart hyperparameter')}
                  value={hyperparameter ?? ''}
                  onChange={e => setHpChoice(e.target.value)}
                  options={hyperparameters.map(h => ({ value: h, label: h }))}
                />
              </label>
            )}
          </div>
          {scatter && scatterCount > 0 ? (
            <VegaChart
              spec={scatter}
              label={trans.__(
                '%1 of each trial against its %2',
                metric ?? '',
                hyperparameter ?? ''
              )}
              minHeight={300}
              errorText={chartError}
            />
          ) : (
            <ChartPlaceholder
              text={trans.__(
                'No trial has both a metric value and this hyperparameter yet.'
              )}
            />
          )}
        </div>
        <div
          className="jp-Autopilot-chartBox jp-mod-wide"
          data-chart="parallel-coordinates"
        >
          <h5>
            {trans.__('Hyperparameters and %1 (parallel coordinates)', metric)}
          </h5>
          {parallel && parallelCount > 0 ? (
            <>
              <VegaChart
                spec={parallel}
                label={trans.__(
                  'One line per trial through its hyperparameters and %1; selected trials highlighted',
                  metric ?? ''
                )}
                minHeight={320}
                errorText={chartError}
              />
              <p className="jp-Autopilot-muted jp-AutopilotTrials-chartNote">
                {parallelValues?.hasMissing
                  ? trans.__(
                      'Each axis runs from its smallest value (bottom) to its largest (top); "–" below an axis: trials whose algorithm does not have that hyperparameter. Tick trials in the table to highlight them.'
                    )
                  : trans.__(
                      'Each axis runs from its smallest value (bottom) to its largest (top). Tick trials in the table to highlight them.'
                    )}
              </p>
            </>
          ) : (
            <ChartPlaceholder
              text={trans.__('No trial has a value of this metric yet.')}
            />
          )}
        </div>
      </div>
    </Section>
  );
}

function ChartPlaceholder(props: { text: string }): JSX.Element {
  return (
    <p className="jp-Autopilot-muted jp-AutopilotTrials-chartEmpty">
      {props.text}
    </p>
  );
}

/** Why there is nothing to list, and what to do about it. */
function EmptyTrials(props: {
  experiments: ExperimentSummary[];
  running: boolean;
  onCreate: () => void;
}): JSX.Element {
  const trans = useTrans();
  const none = props.experiments.length === 0;
  return (
    <div className="jp-AutopilotTrials-empty jp-AutopilotTrials-emptyState">
      <p className="jp-AutopilotTrials-emptyTitle">
        {none
          ? trans.__('No experiments yet, so no trials')
          : trans.__('No trials yet')}
      </p>
      <p>
        {trans.__(
          'A trial is one model that Autopilot trains and scores during Model Tuning. Every trial of every experiment is listed here, with its metrics and hyperparameters, to sort, filter, compare and chart.'
        )}
      </p>
      {none ? (
        <ol>
          <li>
            {trans.__('Create an experiment on a CSV file (a complete run).')}
          </li>
          <li>
            {trans.__(
              'Its trials appear here as soon as Model Tuning starts, and update live.'
            )}
          </li>
        </ol>
      ) : (
        <p>
          {props.running
            ? trans.__(
                'An experiment is running: its trials appear here as soon as Model Tuning starts.'
              )
            : trans.__(
                'None of your experiments trained models (pilot runs only write the candidate definitions notebook). Create a complete run to get trials.'
              )}
        </p>
      )}
      <Button className="jp-Autopilot-primary" onClick={props.onCreate}>
        <ButtonIcon icon={addIcon} />
        {trans.__('Create experiment')}
      </Button>
    </div>
  );
}
