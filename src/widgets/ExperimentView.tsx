import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import {
  Button,
  notebookIcon,
  runIcon,
  stopIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type {
  Artifact,
  Candidate,
  CandidateDetail,
  DataWarning,
  Experiment
} from '../api/types';
import { cleanupWithDialog } from '../cleanup/CleanupDialog';
import {
  ButtonIcon,
  ErrorMessage,
  KeyValues,
  Loading,
  Notice,
  RefreshButton,
  Section,
  Spinner,
  StatusBadge,
  TransContext,
  TRANSLATION_DOMAIN,
  useNow,
  useTrans
} from '../common/components';
import { confirm } from '../common/dialogs';
import { DryRunRequests } from '../common/DryRunRequests';
import { PolledView } from '../common/poll';
import { CandidateDetails } from '../components/CandidateDetails';
import { Leaderboard } from '../components/Leaderboard';
import { StageTracker } from '../components/StageTracker';
import { deployWithDialog } from '../deploy/DeployForm';
import {
  elapsedSeconds,
  formatDateTime,
  formatDuration,
  formatMetric
} from '../format';
import { isDryRun } from '../logic/dryRun';
import { isNotFound } from '../logic/errors';
import { exportSupported } from '../logic/features';
import { uniqueName } from '../logic/names';
import { bestCandidate } from '../logic/sorting';
import { experimentStatusLabel, statusSentence } from '../logic/stages';
import { canRerun, isExperimentActive } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';

/** What the view knows about its experiment. */
interface IExperimentData {
  experiment: Experiment | null;
  candidates: Candidate[] | null;
  artifacts: Artifact[] | null;
  error: unknown;
  gone: boolean;
}

/**
 * The detail view of one experiment (main area): stage tracker, notebooks,
 * leaderboard, candidate details and the actions (stop, re-run, deploy, clean up).
 */
export class ExperimentView extends PolledView {
  constructor(options: ExperimentView.IOptions) {
    super(
      `jupyter-autopilot:experiment:${options.name}`,
      () => options.model.timing
    );
    this.name = options.name;
    this.model = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.addClass('jp-AutopilotExperiment');
    this.addClass('jp-Autopilot-view');
    this.model.experimentsChanged.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  /** The experiment's name. */
  readonly name: string;

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        <ExperimentDetail
          name={this.name}
          data={this.data}
          model={this.model}
          actions={this.actions}
          trans={trans}
          refresh={() => void this.refresh()}
          forget={() => this.forget()}
        />
      </TransContext.Provider>
    );
  }

  /** One poll tick; resolves true while the experiment is moving. */
  protected async load(): Promise<boolean> {
    if (this.data.gone) {
      return false;
    }
    let experiment: Experiment;
    try {
      experiment = await this.model.client.getExperiment(this.name);
    } catch (error) {
      const gone = isNotFound(error);
      this.data = { ...this.data, error: gone ? null : error, gone };
      this.update();
      if (gone) {
        return false;
      }
      throw error;
    }
    const previous = this.data.experiment;
    // A dry run is remembered as Queued, but nothing runs: no need to poll fast.
    const active =
      isExperimentActive(experiment.status) &&
      !isDryRun(experiment.backend_details);
    const statusChanged = previous?.status !== experiment.status;
    const stagesChanged =
      JSON.stringify(previous?.stages?.map(s => s.status)) !==
      JSON.stringify(experiment.stages?.map(s => s.status));
    const tuning =
      (experiment.stages ?? []).some(
        s => s.name === 'model_tuning' && s.status !== 'pending'
      ) || experiment.candidates_completed > 0;
    const wantCandidates =
      tuning &&
      (active ||
        statusChanged ||
        this.data.candidates === null ||
        stagesChanged);
    const notebooksMissing =
      this.data.artifacts === null ||
      this.data.artifacts.some(
        a =>
          (a.kind === 'data_exploration_notebook' ||
            a.kind === 'candidate_definitions_notebook') &&
          !a.available
      );
    const wantArtifacts =
      this.data.artifacts === null ||
      statusChanged ||
      stagesChanged ||
      (active && notebooksMissing);
    const [candidates, artifacts] = await Promise.all([
      wantCandidates
        ? this.model.client.listCandidates(this.name, { limit: 1000 }).then(
            r => r.candidates,
            () => this.data.candidates
          )
        : Promise.resolve(tuning ? this.data.candidates : []),
      wantArtifacts
        ? this.model.client.listArtifacts(this.name).then(
            r => r.artifacts,
            () => this.data.artifacts
          )
        : Promise.resolve(this.data.artifacts)
    ]);
    this.data = { experiment, candidates, artifacts, error: null, gone: false };
    if (statusChanged && previous) {
      // Keep the sidebar in step with what this view sees.
      this.model.experimentsChanged.emit(null);
    }
    this.update();
    return active;
  }

  private forget(): void {
    this.data = {
      experiment: null,
      candidates: null,
      artifacts: null,
      error: null,
      gone: false
    };
    this.update();
    void this.refresh();
  }

  private data: IExperimentData = {
    experiment: null,
    candidates: null,
    artifacts: null,
    error: null,
    gone: false
  };
  private model: AutopilotModel;
  private actions: IAutopilotActions;
  private translator: ITranslator;
}

export namespace ExperimentView {
  export interface IOptions {
    name: string;
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
  }
}

function ExperimentDetail(props: {
  name: string;
  data: IExperimentData;
  model: AutopilotModel;
  actions: IAutopilotActions;
  trans: TranslationBundle;
  refresh: () => void;
  forget: () => void;
}): JSX.Element {
  const trans = useTrans();
  const { data, model, actions } = props;
  const e = data.experiment;
  const [selected, setSelected] = React.useState<string | null>(null);
  const [userSelected, setUserSelected] = React.useState(false);
  const [details, setDetails] = React.useState<Record<string, CandidateDetail>>(
    {}
  );
  const [detailError, setDetailError] = React.useState<unknown>(null);
  const [busy, setBusy] = React.useState<string | null>(null);
  const [actionError, setActionError] = React.useState<unknown>(null);
  const dryRun = e ? isDryRun(e.backend_details) : false;
  const active = e ? isExperimentActive(e.status) && !dryRun : false;
  const now = useNow(active);

  // Select the best candidate until the user picks one.
  const best = data.candidates ? bestCandidate(data.candidates) : undefined;
  React.useEffect(() => {
    if (!userSelected && best && best.name !== selected) {
      setSelected(best.name);
    }
  }, [best?.name, userSelected]);

  // Load the selected candidate's details (again once it completes).
  const selectedCandidate = data.candidates?.find(c => c.name === selected);
  // Again once the experiment ends too: reports and insights (SageMaker's
  // explainability report) are written after the candidates complete.
  const detailKey = selectedCandidate
    ? `${selectedCandidate.name}:${selectedCandidate.status}:${active ? 'running' : e?.status}`
    : '';
  React.useEffect(() => {
    if (!selectedCandidate || details[detailKey]) {
      return;
    }
    let cancelled = false;
    setDetailError(null);
    model.client.getCandidate(props.name, selectedCandidate.name).then(
      detail => {
        if (!cancelled) {
          setDetails(d => ({ ...d, [detailKey]: detail }));
        }
      },
      error => {
        if (!cancelled) {
          setDetailError(error);
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [detailKey]);

  const run = async (label: string, action: () => Promise<unknown>) => {
    setBusy(label);
    setActionError(null);
    try {
      await action();
    } catch (error) {
      setActionError(error);
    } finally {
      setBusy(null);
      props.refresh();
    }
  };

  if (data.gone) {
    return (
      <div className="jp-Autopilot-viewBody">
        <Notice kind="info">
          {trans.__(
            'The experiment %1 no longer exists (it was deleted or cleaned up).',
            props.name
          )}
        </Notice>
      </div>
    );
  }
  if (!e) {
    return (
      <div className="jp-Autopilot-viewBody">
        {data.error ? (
          <ErrorMessage
            error={data.error}
            title={trans.__('Cannot load %1.', props.name)}
            onRetry={props.refresh}
          />
        ) : (
          <Loading />
        )}
      </div>
    );
  }

  const completedCandidates = (data.candidates ?? []).filter(
    c => c.status === 'Completed'
  );
  const deployBlocked = model.notImplemented('deploy')
    ? trans.__('The %1 backend cannot deploy models yet.', e.backend)
    : null;
  // Export for SageMaker: backends that export (local), once the models are saved.
  const canExport =
    !!model.healthValue &&
    exportSupported(model.healthValue) &&
    e.status === 'Completed' &&
    e.spec.mode === 'complete';
  const deploy = (candidate?: string) =>
    void run('deploy', () =>
      deployWithDialog({
        model,
        trans: props.trans,
        experiment: e.name,
        objectiveMetric: e.objective?.metric ?? null,
        candidates: data.candidates ?? [],
        candidate,
        inVpc: !!e.spec.vpc_config,
        onOpenEndpoint: name => actions.openEndpoint(name)
      })
    );
  const stop = () =>
    void run('stop', () =>
      model.client
        .stopExperiment(e.name)
        .then(() => model.experimentsChanged.emit(e.name))
    );
  const rerun = () =>
    void run('rerun', async () => {
      const ok = await confirm({
        trans: props.trans,
        title: trans.__('Re-run %1?', e.name),
        body: trans.__(
          'The experiment starts again from the beginning with the same settings; its current candidates and notebooks are replaced.'
        ),
        accept: trans.__('Re-run')
      });
      if (ok) {
        await model.client.rerunExperiment(e.name);
        setDetails({});
        setUserSelected(false);
        setSelected(null);
        model.experimentsChanged.emit(e.name);
        props.forget();
      }
    });
  const cleanup = () =>
    void run('cleanup', async () => {
      const ran = await cleanupWithDialog({
        model,
        trans: props.trans,
        experiment: e.name
      });
      if (ran) {
        props.forget();
      }
    });
  const excludeAndRestart = (columns: string[]) =>
    void run('exclude', async () => {
      const spec = {
        ...e.spec,
        exclude_columns: Array.from(
          new Set([...(e.spec.exclude_columns ?? []), ...columns])
        )
      };
      const health = await model.health();
      if (health.features.s3) {
        // SageMaker job names cannot be reused: start a new experiment from the wizard.
        const taken = (
          await model.client.listExperiments({ limit: 1000 })
        ).experiments.map(x => x.name);
        actions.createExperiment({
          spec: { ...spec, name: uniqueName(e.name, new Set(taken), 32) }
        });
        return;
      }
      const ok = await confirm({
        trans: props.trans,
        title: trans.__('Exclude %1 and start again?', columns.join(', ')),
        body: trans.__(
          'Autopilot stops %1 if it is running, deletes its results and starts it again without %2.',
          e.name,
          columns.join(', ')
        ),
        accept: trans.__('Exclude and restart')
      });
      if (!ok) {
        return;
      }
      if (isExperimentActive(e.status)) {
        if (e.status !== 'Stopping') {
          await model.client.stopExperiment(e.name);
        }
        const deadline = Date.now() + 120 * 1000;
        for (;;) {
          const current = await model.client.getExperiment(e.name);
          if (!isExperimentActive(current.status)) {
            break;
          }
          if (Date.now() > deadline) {
            throw new Error(
              trans.__(
                'The experiment did not stop within 2 minutes; try again.'
              )
            );
          }
          await new Promise(resolve => setTimeout(resolve, 500));
        }
      }
      await model.client.deleteExperiment(e.name);
      await model.client.createExperiment(spec);
      setDetails({});
      setUserSelected(false);
      setSelected(null);
      model.experimentsChanged.emit(e.name);
      props.forget();
    });

  // While a newer answer loads, keep showing the last one of this candidate.
  const shownDetail = selectedCandidate
    ? (details[detailKey] ??
      Object.entries(details).find(([key]) =>
        key.startsWith(`${selectedCandidate.name}:`)
      )?.[1])
    : undefined;

  const totalElapsed = elapsedSeconds(
    e.started_at ?? e.created_at,
    active ? null : e.ended_at,
    now
  );
  const warnings = e.warnings ?? [];
  const columnWarnings = warnings.filter(
    w => w.column && w.column !== e.spec.target && w.severity !== 'info'
  );
  const otherWarnings = warnings.filter(w => !columnWarnings.includes(w));

  return (
    <div className="jp-Autopilot-viewBody">
      <header className="jp-Autopilot-viewHeader">
        <h2>{e.name}</h2>
        <StatusBadge
          status={e.status}
          label={experimentStatusLabel(e.status, trans)}
        />
        <span className="jp-Autopilot-chip" title={trans.__('Backend')}>
          {e.backend}
        </span>
        {e.spec.mode === 'pilot' && (
          <span className="jp-Autopilot-chip jp-mod-pilot">
            {trans.__('Pilot')}
          </span>
        )}
        {dryRun && (
          <span
            className="jp-Autopilot-chip"
            title={trans.__('Validated, not sent to AWS')}
          >
            {trans.__('Dry run')}
          </span>
        )}
        <span className="jp-Autopilot-spacer" />
        <div
          className="jp-Autopilot-toolbar"
          role="toolbar"
          aria-label={trans.__('Experiment actions')}
        >
          {active && (
            <Button
              onClick={stop}
              disabled={busy !== null || e.status === 'Stopping'}
            >
              {busy === 'stop' ? <Spinner /> : <ButtonIcon icon={stopIcon} />}
              {e.status === 'Stopping'
                ? trans.__('Stopping…')
                : trans.__('Stop')}
            </Button>
          )}
          {canRerun(e.status) && (
            <Button onClick={rerun} disabled={busy !== null || !e.can_rerun}>
              <ButtonIcon icon={runIcon} />
              {trans.__('Re-run')}
            </Button>
          )}
          {e.status === 'Completed' && e.spec.mode === 'complete' && (
            <Button
              className="jp-Autopilot-primary"
              onClick={() => deploy()}
              disabled={
                busy !== null ||
                completedCandidates.length === 0 ||
                !!deployBlocked
              }
              title={
                deployBlocked ??
                trans.__('Deploy the best candidate to an endpoint')
              }
            >
              {trans.__('Deploy')}
            </Button>
          )}
          {!active && (
            <Button onClick={cleanup} disabled={busy !== null}>
              {trans.__('Clean up')}
            </Button>
          )}
          <Button
            minimal
            onClick={() =>
              actions.createExperiment({
                spec: {
                  ...e.spec,
                  name: uniqueName(e.name, new Set([e.name]), 32)
                }
              })
            }
            title={trans.__('Start a new experiment with these settings')}
          >
            {trans.__('Copy settings')}
          </Button>
          <RefreshButton onClick={props.refresh} />
        </div>
      </header>

      <div className="jp-Autopilot-statusLine" role="status" aria-live="polite">
        <span>
          {dryRun
            ? (e.status_message ??
              trans.__('Dry run: the request was validated but not sent.'))
            : statusSentence(e, trans)}
        </span>
        {totalElapsed !== null && !dryRun && (
          <span className="jp-Autopilot-muted">
            {' '}
            ·{' '}
            {active
              ? trans.__('running for %1', formatDuration(totalElapsed))
              : trans.__('took %1', formatDuration(totalElapsed))}
          </span>
        )}
      </div>
      {e.status === 'Failed' && e.failure_reason && (
        <div className="jp-Autopilot-error" role="alert">
          <strong>{trans.__('Why it failed:')}</strong> {e.failure_reason}
        </div>
      )}
      {deployBlocked &&
        e.status === 'Completed' &&
        e.spec.mode === 'complete' && (
          <Notice kind="info">{deployBlocked}</Notice>
        )}
      <ErrorMessage
        error={actionError}
        onDismiss={() => setActionError(null)}
      />
      <ErrorMessage
        error={data.error}
        title={trans.__('Cannot refresh:')}
        onRetry={props.refresh}
      />

      {dryRun && (
        <Section
          title={trans.__('Requests not sent to AWS (dry run)')}
          id={`jp-autopilot-${e.name}-dry-run`}
        >
          <DryRunRequests
            details={e.backend_details}
            what={trans.__('Creating this experiment')}
          />
        </Section>
      )}

      {columnWarnings.length > 0 && (
        <DataWarnings
          warnings={columnWarnings}
          busy={busy !== null}
          onExclude={column => excludeAndRestart([column])}
        />
      )}

      <Section title={trans.__('Stages')} id={`jp-autopilot-${e.name}-stages`}>
        <StageTracker stages={e.stages ?? []} live={active} />
        <NotebookButtons
          artifacts={data.artifacts}
          stages={e.stages ?? []}
          onOpen={path => void actions.openPath(path)}
        />
      </Section>

      {otherWarnings.length > 0 && (
        <ul
          className="jp-Autopilot-infoList"
          aria-label={trans.__('Notes about the data')}
        >
          {otherWarnings.map((w, i) => (
            <li key={i}>
              {w.message}{' '}
              {w.suggestion && (
                <span className="jp-Autopilot-muted">{w.suggestion}</span>
              )}
            </li>
          ))}
        </ul>
      )}

      <Section
        title={trans.__('Trials')}
        id={`jp-autopilot-${e.name}-trials`}
        actions={
          data.candidates && data.candidates.length > 0 ? (
            <span className="jp-Autopilot-muted">
              {trans._n('%1 trial', '%1 trials', data.candidates.length)}
              {' · '}
              {trans.__('%1 completed', completedCandidates.length)}
              {e.best_candidate?.objective_value !== null &&
              e.best_candidate?.objective_value !== undefined
                ? ` · ${trans.__('best %1 %2', e.objective?.metric ?? '', formatMetric(e.best_candidate.objective_value))}`
                : ''}
            </span>
          ) : undefined
        }
      >
        {e.spec.mode === 'pilot' ? (
          <p className="jp-Autopilot-muted">
            {trans.__(
              'A pilot run trains no models: open the candidate definitions notebook to review the pipelines.'
            )}
          </p>
        ) : data.candidates && data.candidates.length > 0 ? (
          <Leaderboard
            candidates={data.candidates}
            objectiveMetric={e.objective?.metric ?? null}
            selected={selected}
            onSelect={name => {
              setSelected(name);
              setUserSelected(true);
            }}
          />
        ) : (
          <p className="jp-Autopilot-muted jp-Autopilot-placeholder">
            {active
              ? trans.__('Trials appear here as soon as Model Tuning starts.')
              : trans.__('No trials were run.')}
          </p>
        )}
      </Section>

      {selectedCandidate && (
        <Section
          title={trans.__('Candidate details')}
          id={`jp-autopilot-${e.name}-candidate`}
        >
          {shownDetail ? (
            <CandidateDetails
              candidate={shownDetail}
              onDeploy={
                e.status === 'Completed' && e.spec.mode === 'complete'
                  ? () => deploy(selectedCandidate.name)
                  : undefined
              }
              deployDisabledReason={deployBlocked}
              // SageMaker curves come from the training job's log (every round logged).
              keepsBestIteration={e.backend !== 'sagemaker'}
              onExport={
                canExport
                  ? () =>
                      model.client.exportCandidate(
                        e.name,
                        selectedCandidate.name
                      )
                  : undefined
              }
              onRevealPath={
                actions.revealPath
                  ? path => void actions.revealPath?.(path)
                  : undefined
              }
            />
          ) : detailError ? (
            <ErrorMessage error={detailError} />
          ) : (
            <Loading />
          )}
        </Section>
      )}

      <details className="jp-Autopilot-details">
        <summary>{trans.__('Settings and files')}</summary>
        <ExperimentSettings experiment={e} />
        <OtherArtifacts
          artifacts={data.artifacts}
          onOpen={path => void actions.openPath(path)}
        />
      </details>
    </div>
  );
}

/** The leakage and similar warnings, each with an "exclude this column" action. */
function DataWarnings(props: {
  warnings: DataWarning[];
  busy: boolean;
  onExclude: (column: string) => void;
}): JSX.Element {
  const trans = useTrans();
  return (
    <section
      className="jp-Autopilot-warnings"
      aria-label={trans.__('Data warnings')}
      role="region"
    >
      <h3>{trans.__('Check your data')}</h3>
      <ul>
        {props.warnings.map((w, i) => (
          <li key={i} className={`jp-mod-${w.severity}`}>
            <div className="jp-Autopilot-warningText">
              <strong>{w.column}</strong>: {w.message}
              {w.suggestion && (
                <div className="jp-Autopilot-muted">{w.suggestion}</div>
              )}
            </div>
            {w.column && (
              <Button
                small
                onClick={() => props.onExclude(w.column as string)}
                disabled={props.busy}
              >
                {trans.__('Exclude %1 and restart', w.column)}
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function NotebookButtons(props: {
  artifacts: Artifact[] | null;
  stages: Experiment['stages'];
  onOpen: (path: string) => void;
}): JSX.Element {
  const trans = useTrans();
  const find = (kind: Artifact['kind']) =>
    props.artifacts?.find(a => a.kind === kind);
  const exploration = find('data_exploration_notebook');
  const definitions = find('candidate_definitions_notebook');
  const button = (
    artifact: Artifact | undefined,
    label: string,
    waiting: string
  ) => {
    const ready = !!(artifact?.available && artifact.path);
    return (
      <Button
        onClick={() => artifact?.path && props.onOpen(artifact.path)}
        disabled={!ready}
        title={
          ready
            ? (artifact?.path ?? undefined)
            : artifact?.available
              ? trans.__('The file is outside the Jupyter root.')
              : waiting
        }
      >
        <ButtonIcon icon={notebookIcon} />
        {label}
      </Button>
    );
  };
  return (
    <div className="jp-Autopilot-notebooks">
      {button(
        exploration,
        trans.__('Open data exploration notebook'),
        trans.__('Available once Pre-processing has run.')
      )}
      {button(
        definitions,
        trans.__('Open candidate definitions notebook'),
        trans.__('Available once the candidate definitions are generated.')
      )}
    </div>
  );
}

function OtherArtifacts(props: {
  artifacts: Artifact[] | null;
  onOpen: (path: string) => void;
}): JSX.Element | null {
  const trans = useTrans();
  const others = (props.artifacts ?? []).filter(
    a =>
      a.available &&
      a.kind !== 'data_exploration_notebook' &&
      a.kind !== 'candidate_definitions_notebook'
  );
  if (!others.length) {
    return null;
  }
  return (
    <ul className="jp-Autopilot-files" aria-label={trans.__('Files')}>
      {others.map(a => (
        <li key={a.kind}>
          {a.path && a.kind !== 'model' ? (
            <button
              className="jp-Autopilot-linkButton"
              onClick={() => props.onOpen(a.path as string)}
            >
              {a.title}
            </button>
          ) : (
            <span>{a.title}</span>
          )}{' '}
          <span className="jp-Autopilot-muted">{a.path ?? a.uri}</span>
        </li>
      ))}
    </ul>
  );
}

function ExperimentSettings(props: { experiment: Experiment }): JSX.Element {
  const trans = useTrans();
  const e = props.experiment;
  const s = e.spec;
  const items: Array<[string, React.ReactNode]> = [
    [trans.__('Data'), s.input_uri],
    [trans.__('Target'), s.target],
    [
      trans.__('Excluded columns'),
      s.exclude_columns?.length
        ? s.exclude_columns.join(', ')
        : trans.__('none')
    ],
    [trans.__('Problem type'), e.problem_type],
    [
      trans.__('Objective'),
      e.objective
        ? `${e.objective.metric} (${e.objective.goal})`
        : (s.objective_metric ?? trans.__('default'))
    ],
    [
      trans.__('Run'),
      s.mode === 'pilot' ? trans.__('Pilot') : trans.__('Complete')
    ],
    [
      trans.__('Max candidates'),
      e.budget?.max_candidates ?? s.max_candidates ?? '–'
    ],
    [
      trans.__('Max trial runtime'),
      formatDuration(
        e.budget?.max_trial_runtime_seconds ?? s.max_trial_runtime_seconds
      ) || '–'
    ],
    [
      trans.__('Max job runtime'),
      formatDuration(
        e.budget?.max_job_runtime_seconds ?? s.max_job_runtime_seconds
      ) || '–'
    ],
    [trans.__('Validation fraction'), String(s.validation_fraction)],
    [trans.__('Created'), formatDateTime(e.created_at)],
    ...(e.ended_at
      ? ([[trans.__('Ended'), formatDateTime(e.ended_at)]] as Array<
          [string, string]
        >)
      : []),
    ...(s.tags?.length
      ? ([
          [trans.__('Tags'), s.tags.map(t => `${t.key}=${t.value}`).join(', ')]
        ] as Array<[string, string]>)
      : []),
    ...(s.output_uri
      ? ([[trans.__('Output location'), s.output_uri]] as Array<
          [string, string]
        >)
      : []),
    ...(s.role_arn
      ? ([[trans.__('IAM role'), s.role_arn]] as Array<[string, string]>)
      : []),
    ...(e.secondary_status
      ? ([[trans.__('Backend status'), e.secondary_status]] as Array<
          [string, string]
        >)
      : []),
    ...Object.entries(e.backend_details ?? {})
      // Dry-run requests have their own section.
      .filter(([k]) => k !== 'dry_run' && k !== 'dry_run_requests')
      .map(([k, v]) => [k, v] as [string, string])
  ];
  return <KeyValues items={items} label={trans.__('Settings')} />;
}
