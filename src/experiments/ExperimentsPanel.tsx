import type { TranslationBundle } from '@jupyterlab/translation';
import {
  addIcon,
  Button,
  closeIcon,
  HTMLSelect,
  InputGroup,
  tableRowsIcon
} from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import * as React from 'react';

import type { BackendInfo, ExperimentSummary, Health } from '../api/types';
import {
  ButtonIcon,
  Spinner,
  StatusBadge,
  useTrans
} from '../common/components';
import { PanelList, SidebarPanel } from '../common/SidebarPanel';
import { formatDateTime, formatMetric, formatRelativeTime } from '../format';
import { autopilotIcon, endpointsIcon } from '../icons';
import {
  DEFAULT_EXPERIMENTS_VIEW,
  filterAndSortExperiments,
  IExperimentsView
} from '../logic/sorting';
import { backendName } from '../logic/backends';
import { currentStageTitle, experimentStatusLabel } from '../logic/stages';
import { anyExperimentActive, isExperimentRunning } from '../logic/status';
import type { IAutopilotActions } from '../model';

/** Ask the server's health again when the cached answer is older than this (ms). */
const HEALTH_MAX_AGE = 30 * 1000;

/** What the sidebar shows: server info, the experiments, or why it can't. */
interface IPanelState {
  health: Health | null;
  experiments: ExperimentSummary[] | null;
  error: unknown;
}

/** The backends to choose from (a server that offers more than one). */
export interface IBackendChoice {
  backends: BackendInfo[];
  /** The one shown. */
  selected: string;
  onSelect: (name: string) => void;
}

/**
 * The "Autopilot" left-sidebar panel: the backend in use and the experiments
 * list (filter, sort, open, create).
 */
export class ExperimentsPanel extends SidebarPanel<IPanelState> {
  constructor(options: ExperimentsPanel.IOptions) {
    super({
      ...options,
      kind: 'experiments',
      id: 'jp-autopilot-sidebar',
      empty: { health: null, experiments: null, error: null }
    });
    this.model.experimentsChanged.connect(this.onExternalChange, this);
    // Deploys and deletes change the health warnings (running endpoints, cost).
    this.model.endpointsChanged.connect(this.onExternalChange, this);
  }

  /** Fetch health and experiments now (the refresh command and button). */
  async refresh(): Promise<void> {
    this.forceHealth = true;
    await super.refresh();
  }

  /** Emitted after every load. */
  readonly changed = new Signal<this, void>(this);

  protected renderPanel(): JSX.Element {
    return (
      <ExperimentsSidebar
        {...this.state}
        onRefresh={() => void this.refresh()}
        actions={this.actions}
        choice={this.choice()}
      />
    );
  }

  /** The backend choice, on a server that offers more than one (else null). */
  private choice(): IBackendChoice | null {
    const backends = this.backends;
    if (backends.length < 2) {
      return null;
    }
    const selected =
      this.model.backend ?? backends.find(b => b.default)?.name ?? '';
    return {
      backends,
      selected,
      onSelect: name => this.root.selectBackend(name)
    };
  }

  protected async load(): Promise<boolean> {
    const force = this.forceHealth;
    this.forceHealth = false;
    // The list of backends comes from the default backend's health, so the choice
    // stays while the chosen one is down (and the user can switch back).
    if (this.model !== this.root) {
      const home = await this.root
        .health(force || HEALTH_MAX_AGE)
        .catch(() => null);
      this.backends = home?.backends ?? this.backends;
    }
    const model = this.model;
    await this.loadState(async () => {
      const [health, list] = await Promise.all([
        model.health(force || HEALTH_MAX_AGE),
        model.client.listExperiments({ limit: 500 })
      ]);
      if (model !== this.model) {
        // Another backend was chosen meanwhile: its own load fills the panel.
        return this.state;
      }
      if (model === this.root) {
        this.backends = health.backends ?? [];
      }
      return { health, experiments: list.experiments, error: null };
    });
    return anyExperimentActive(this.state.experiments ?? []);
  }

  protected loaded(): void {
    this.changed.emit();
    super.loaded();
  }

  private onExternalChange(): void {
    void this.refresh();
  }

  private forceHealth = false;
  private backends: BackendInfo[] = [];
}

export namespace ExperimentsPanel {
  export type IOptions = Omit<
    SidebarPanel.IOptions<IPanelState>,
    'kind' | 'id' | 'empty'
  >;
}

function backendText(health: Health, trans: TranslationBundle): string {
  if (health.backend === 'sagemaker' && health.region) {
    return trans.__('SageMaker · %1', health.region);
  }
  return backendName(health.backend, trans);
}

/** The backend line's choice between the server's backends. */
export function BackendSelect(props: { choice: IBackendChoice }): JSX.Element {
  const trans = useTrans();
  const { backends, selected, onSelect } = props.choice;
  const current = backends.find(b => b.name === selected);
  return (
    <HTMLSelect
      className="jp-AutopilotPanel-backendSelect"
      aria-label={trans.__('Backend')}
      title={
        current && !current.usable && current.reason
          ? trans.__('%1 is not usable: %2', current.name, current.reason)
          : trans.__(
              'This server offers %1 backends: the list, endpoints and new experiments follow the one chosen here',
              backends.length
            )
      }
      value={selected}
      onChange={e => onSelect(e.target.value)}
      options={backends.map(b => ({
        value: b.name,
        label: b.usable
          ? backendName(b.name, trans)
          : trans.__('%1 (not usable)', backendName(b.name, trans))
      }))}
    />
  );
}

function ExperimentsSidebar(
  props: IPanelState & {
    onRefresh: () => void;
    actions: IAutopilotActions;
    choice: IBackendChoice | null;
  }
): JSX.Element {
  const trans = useTrans();
  const { health, experiments, error } = props;
  const [view, setView] = React.useState<IExperimentsView>(
    DEFAULT_EXPERIMENTS_VIEW
  );
  const shown = React.useMemo(
    () => (experiments ? filterAndSortExperiments(experiments, view) : []),
    [experiments, view]
  );
  const update = (patch: Partial<IExperimentsView>) =>
    setView(v => ({ ...v, ...patch }));
  const sortValue = `${view.sortBy}:${view.order}`;

  return (
    <PanelList
      title={trans.__('Autopilot')}
      refreshLabel={trans.__('Refresh experiments')}
      onRefresh={props.onRefresh}
      buttons={
        <>
          {props.actions.openTrials && (
            <Button
              minimal
              aria-label={trans.__('Open experiments and trials')}
              title={trans.__('Experiments and trials: compare every trial')}
              onClick={() => props.actions.openTrials?.()}
            >
              <tableRowsIcon.react tag="span" />
            </Button>
          )}
          <Button
            minimal
            aria-label={trans.__('Show endpoints')}
            title={trans.__('Endpoints: deployed models')}
            onClick={() => props.actions.showEndpoints()}
          >
            <endpointsIcon.react tag="span" />
          </Button>
        </>
      }
      above={
        <>
          {!health && props.choice && (
            <div className="jp-AutopilotPanel-backend">
              <BackendSelect choice={props.choice} />
            </div>
          )}
          {health && (
            <div className="jp-AutopilotPanel-backend">
              {props.choice && <BackendSelect choice={props.choice} />}
              {/* Beside the choice, only what it does not say (the region). */}
              {(!props.choice || health.region) && (
                <span
                  className="jp-Autopilot-chip"
                  title={
                    health.identity
                      ? trans.__(
                          'Backend: %1 (%2)',
                          health.backend,
                          health.identity
                        )
                      : trans.__('Backend: %1', health.backend)
                  }
                >
                  {props.choice ? health.region : backendText(health, trans)}
                </span>
              )}
              {health.identity && (
                <span
                  className="jp-AutopilotPanel-identity"
                  title={trans.__('AWS identity: %1', health.identity)}
                >
                  {health.identity}
                </span>
              )}
            </div>
          )}
          <div className="jp-AutopilotPanel-actions">
            <Button
              className="jp-Autopilot-primary"
              onClick={() => props.actions.createExperiment()}
            >
              <ButtonIcon icon={addIcon} />
              {trans.__('Create experiment')}
            </Button>
          </div>
          {health && <HealthBanner health={health} />}
        </>
      }
      error={error}
      filters={
        experiments !== null &&
        experiments.length > 0 && (
          <div className="jp-AutopilotPanel-filters" role="search">
            <InputGroup
              type="search"
              aria-label={trans.__('Filter experiments by name')}
              placeholder={trans.__('Filter by name')}
              value={view.search}
              rightIcon="ui-components:search"
              onChange={e =>
                update({ search: (e.target as HTMLInputElement).value })
              }
            />
            <div className="jp-AutopilotPanel-filterRow">
              <HTMLSelect
                aria-label={trans.__('Status filter')}
                value={view.status}
                onChange={e =>
                  update({
                    status: e.target.value as IExperimentsView['status']
                  })
                }
                options={[
                  { value: '', label: trans.__('All statuses') },
                  { value: 'active', label: trans.__('Running or queued') },
                  { value: 'Completed', label: trans.__('Completed') },
                  { value: 'Failed', label: trans.__('Failed') },
                  { value: 'Stopped', label: trans.__('Stopped') },
                  { value: 'Interrupted', label: trans.__('Interrupted') }
                ]}
              />
              <HTMLSelect
                aria-label={trans.__('Sort experiments')}
                value={sortValue}
                onChange={e => {
                  const [sortBy, order] = e.target.value.split(':');
                  update({
                    sortBy: sortBy as IExperimentsView['sortBy'],
                    order: order as IExperimentsView['order']
                  });
                }}
                options={[
                  { value: 'created_at:desc', label: trans.__('Newest first') },
                  { value: 'created_at:asc', label: trans.__('Oldest first') },
                  { value: 'name:asc', label: trans.__('Name (A–Z)') },
                  { value: 'status:asc', label: trans.__('Status') },
                  { value: 'objective:desc', label: trans.__('Best objective') }
                ]}
              />
            </div>
          </div>
        )
      }
      items={experiments}
      emptyTitle={trans.__('No experiments yet')}
      empty={
        <>
          {props.actions.tryTutorial && (
            <TryTutorial onTry={props.actions.tryTutorial} />
          )}
          <p>
            {trans.__(
              'Start with a CSV file: Autopilot previews it, you choose the column to predict, and it analyses the data, generates candidate pipelines, engineers features and tunes models for you.'
            )}
          </p>
          <ol>
            <li>
              {trans.__('Click "Create experiment" and choose the CSV file.')}
            </li>
            <li>{trans.__('Pick the target column and a budget.')}</li>
            <li>
              {trans.__('Watch the four stages, then deploy the best model.')}
            </li>
          </ol>
          <p className="jp-AutopilotPanel-tip">
            {trans.__(
              'Tip: right-click a CSV file in the file browser and choose "Create Autopilot Experiment".'
            )}
          </p>
        </>
      }
    >
      {experiments !== null && experiments.length > 0 && shown.length === 0 && (
        <div className="jp-AutopilotPanel-empty">
          <p>{trans.__('No experiment matches the filter.')}</p>
          <Button small onClick={() => setView(DEFAULT_EXPERIMENTS_VIEW)}>
            {trans.__('Clear filter')}
          </Button>
        </div>
      )}
      {shown.length > 0 && (
        <ul
          className="jp-AutopilotPanel-list"
          aria-label={trans.__('Experiments')}
        >
          {shown.map(e => (
            <ExperimentRow
              key={e.name}
              experiment={e}
              onOpen={() => props.actions.openExperiment(e.name)}
            />
          ))}
        </ul>
      )}
    </PanelList>
  );
}

/** The empty state's one-click start: the tutorial's data, copied and opened. */
export function TryTutorial(props: {
  onTry: () => Promise<void>;
}): JSX.Element {
  const trans = useTrans();
  const [busy, setBusy] = React.useState(false);
  const start = async () => {
    setBusy(true);
    try {
      await props.onTry();
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="jp-AutopilotPanel-tutorial">
      <p>
        {trans.__(
          'New to Autopilot? The tutorial’s bank-marketing data ships with it: one click copies the CSV next to your files and opens the wizard on it.'
        )}
      </p>
      <Button
        className="jp-Autopilot-primary"
        disabled={busy}
        aria-busy={busy}
        onClick={() => void start()}
      >
        {busy ? <Spinner /> : <ButtonIcon icon={autopilotIcon} />}
        {trans.__('Try the tutorial (bank marketing)')}
      </Button>
    </div>
  );
}

/**
 * What the backend says the user should know now (no credentials, dry run,
 * endpoints left running and what they cost), as a banner above the list.
 * Dismissing hides the current notices until they change.
 */
export function HealthBanner(props: { health: Health }): JSX.Element | null {
  const trans = useTrans();
  const h = props.health;
  const warnings = h.warnings ?? [];
  const key = warnings.join('\n');
  const [dismissed, setDismissed] = React.useState<string | null>(null);
  if (!warnings.length || dismissed === key) {
    return null;
  }
  const failing = h.status !== 'ok';
  const title = failing
    ? trans.__('The %1 backend reports a problem', h.backend)
    : h.dry_run
      ? trans.__('Dry run: AWS requests are shown, not sent')
      : trans.__('Notices from the %1 backend', h.backend);
  return (
    <section
      className={`jp-AutopilotPanel-banner jp-mod-${failing ? 'error' : 'warning'}`}
      role="region"
      aria-label={trans.__('Backend notices')}
    >
      <div className="jp-AutopilotPanel-bannerHead">
        <strong>{title}</strong>
        <Button
          minimal
          small
          aria-label={trans.__('Dismiss the notices')}
          title={trans.__('Dismiss until they change')}
          onClick={() => setDismissed(key)}
        >
          <closeIcon.react tag="span" />
        </Button>
      </div>
      <ul>
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </section>
  );
}

/** One experiment in the sidebar list. */
export function ExperimentRow(props: {
  experiment: ExperimentSummary;
  onOpen: () => void;
}): JSX.Element {
  const trans = useTrans();
  const e = props.experiment;
  const stage = currentStageTitle(e);
  const running = isExperimentRunning(e.status);
  const best = e.best_candidate?.objective_value;
  const pilot = e.mode === 'pilot';
  const status = experimentStatusLabel(e.status, trans);
  return (
    <li>
      <button
        className="jp-AutopilotPanel-item"
        onClick={props.onOpen}
        aria-label={
          pilot
            ? trans.__('Open experiment %1 (%2, pilot run)', e.name, status)
            : trans.__('Open experiment %1 (%2)', e.name, status)
        }
        data-experiment={e.name}
        data-mode={e.mode}
      >
        <span className="jp-AutopilotPanel-itemName">{e.name}</span>
        <span className="jp-AutopilotPanel-itemBadges">
          {pilot && (
            <span
              className="jp-Autopilot-chip jp-mod-pilot"
              title={trans.__(
                'Pilot run: analyses the data and writes the candidate definitions notebook; trains no models.'
              )}
            >
              {trans.__('Pilot')}
            </span>
          )}
          <StatusBadge status={e.status} label={status} />
        </span>
        <span className="jp-AutopilotPanel-itemStage">
          {running && <Spinner />}
          {stage && (running || e.status === 'Failed')
            ? stage
            : e.status === 'Completed' && pilot
              ? trans.__('Definitions ready')
              : e.status === 'Completed' && e.candidates_completed > 0
                ? trans._n(
                    '%1 candidate',
                    '%1 candidates',
                    e.candidates_completed
                  )
                : ''}
        </span>
        <span className="jp-AutopilotPanel-itemObjective">
          {best !== null && best !== undefined
            ? `${e.objective?.metric ?? trans.__('objective')} ${formatMetric(best)}`
            : ''}
        </span>
        <span
          className="jp-AutopilotPanel-itemMeta"
          title={formatDateTime(e.created_at)}
        >
          {formatRelativeTime(e.created_at, Date.now(), trans)} · {e.backend}
        </span>
      </button>
    </li>
  );
}
