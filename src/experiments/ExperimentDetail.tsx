/**
 * The body of an experiment's view: header and actions, status, stages,
 * leaderboard, the selected candidate's details, settings and files.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, runIcon, stopIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { CostEstimate, Experiment } from '../api/types';
import {
  ButtonIcon,
  ErrorMessage,
  Loading,
  Notice,
  RefreshButton,
  Section,
  Spinner,
  StatusBadge,
  useNow,
  useTrans
} from '../common/components';
import { CostEstimateView } from '../common/CostEstimateView';
import { DryRunRequests } from '../common/DryRunRequests';
import { elapsedSeconds, formatDuration, formatMetric } from '../format';
import { isDryRun } from '../logic/dryRun';
import { exportSupported } from '../logic/features';
import { uniqueName } from '../logic/names';
import { experimentStatusLabel, statusSentence } from '../logic/stages';
import { canRerun, isExperimentActive } from '../logic/status';
import { AutopilotModel, IAutopilotActions } from '../model';
import { CandidateDetails } from './CandidateDetails';
import { DataWarnings } from './DataWarnings';
import {
  ExperimentSettings,
  NotebookButtons,
  OtherArtifacts
} from './ExperimentFiles';
import { IExperimentData } from './ExperimentView';
import { Leaderboard } from './Leaderboard';
import { StageTracker } from './StageTracker';
import { useCandidateDetail } from './useCandidateDetail';
import { useExperimentActions } from './useExperimentActions';

/** What the experiment view renders its body with. */
interface IExperimentDetailProps {
  name: string;
  data: IExperimentData;
  model: AutopilotModel;
  actions: IAutopilotActions;
  trans: TranslationBundle;
  refresh: () => void;
  forget: () => void;
}

/** An experiment's view: a notice once it is gone, loading, or its body. */
export function ExperimentDetail(props: IExperimentDetailProps): JSX.Element {
  const trans = useTrans();
  const { data } = props;
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
  if (!data.experiment) {
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
  return <ExperimentBody {...props} experiment={data.experiment} />;
}

/** The view of a loaded experiment. */
function ExperimentBody(
  props: IExperimentDetailProps & { experiment: Experiment }
): JSX.Element {
  const trans = useTrans();
  const { data, model, actions } = props;
  const e = props.experiment;
  const dryRun = isDryRun(e.backend_details);
  const active = isExperimentActive(e.status) && !dryRun;
  const now = useNow(active);
  const candidate = useCandidateDetail({
    model,
    experiment: e.name,
    candidates: data.candidates,
    phase: active ? 'running' : e.status
  });
  const { selected, selectedCandidate } = candidate;
  const {
    busy,
    error: actionError,
    dismissError,
    deploy,
    stop,
    rerun,
    extend,
    cleanup,
    excludeAndRestart
  } = useExperimentActions({
    model,
    actions,
    trans: props.trans,
    experiment: e,
    candidates: data.candidates,
    refresh: props.refresh,
    forget: props.forget,
    restarted: candidate.reset
  });

  const completedCandidates = (data.candidates ?? []).filter(
    c => c.status === 'Completed'
  );
  // A backend without deploy says so for every experiment.
  const deployBlocked = model.notImplemented('deploy')
    ? trans.__('The %1 backend cannot deploy models yet.', e.backend)
    : null;
  // Export for SageMaker: backends that export (local), once the models are saved.
  const canExport =
    !!model.healthValue &&
    exportSupported(model.healthValue) &&
    e.status === 'Completed' &&
    e.spec.mode === 'complete';
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
          {e.can_extend && (
            <Button
              onClick={extend}
              disabled={busy !== null}
              title={trans.__(
                'Continue the search with more time or candidates, keeping every finished candidate'
              )}
            >
              {busy === 'extend' ? <Spinner /> : <ButtonIcon icon={runIcon} />}
              {trans.__('Continue')}
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
      <ErrorMessage error={actionError} onDismiss={dismissError} />
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
          {dryRunEstimate(e.backend_details) && (
            <CostEstimateView
              estimate={dryRunEstimate(e.backend_details) as CostEstimate}
              what={trans.__('this experiment')}
            />
          )}
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
        {(e.history ?? []).length > 0 && (
          <ul
            className="jp-Autopilot-history"
            aria-label={trans.__('Search continued')}
          >
            {(e.history ?? []).map((entry, i) => (
              <li key={i}>
                <time dateTime={entry.at}>
                  {new Date(entry.at).toLocaleString()}
                </time>{' '}
                {entry.message}
              </li>
            ))}
          </ul>
        )}
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
            onSelect={candidate.select}
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
          {candidate.detail ? (
            <CandidateDetails
              candidate={candidate.detail}
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
          ) : candidate.error ? (
            <ErrorMessage error={candidate.error} />
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

/** The estimate a dry-run experiment carries (`backend_details.cost_estimate`, JSON). */
function dryRunEstimate(
  details: Record<string, string> | undefined
): CostEstimate | null {
  try {
    return details?.cost_estimate ? JSON.parse(details.cost_estimate) : null;
  } catch {
    return null;
  }
}
