/**
 * The "Monitoring" section of an endpoint view (SageMaker Model Monitor-like):
 * data capture settings and schedule, what was captured, the baseline, drift
 * reports (run one, list them, read one with its charts) and the newest captured
 * requests.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Button, refreshIcon, runIcon } from '@jupyterlab/ui-components';
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';
import type { Widget } from '@lumino/widgets';
import * as React from 'react';

import type {
  CapturedRecords,
  DriftStatus,
  Endpoint,
  FeatureDrift,
  MonitoringReport,
  MonitoringReportSummary,
  MonitoringStatus
} from '../api/types';
import { histogramSpec, psiSpec } from '../charts/monitoring';
import { VegaChart } from '../common/charts/VegaChart';
import {
  formatCount,
  formatDateTime,
  formatPercent,
  formatRelativeTime
} from '../format';
import { isNotFound, isNotImplemented } from '../logic/errors';
import {
  captureRows,
  driftStatusClass,
  driftStatusHelp,
  driftStatusLabel,
  formatMissing,
  formatPsi,
  formatStatistic,
  formatViolation,
  formatWindow,
  formFromStatus,
  IMonitoringForm,
  isFormChanged,
  isMonitoringBusy,
  MAX_SCHEDULE_MINUTES,
  monitoringConfig,
  monitoringSupported,
  parseWindowHours,
  RECENT_CAPTURES,
  reportSummaryText,
  scheduleText,
  sortFeatures,
  sortReports,
  sortViolations,
  triggerLabel
} from '../logic/monitoring';
import { AutopilotModel } from '../model';
import { adaptivePoll } from '../common/poll';
import {
  ButtonIcon,
  describedBy,
  ErrorMessage,
  Field,
  KeyValues,
  Loading,
  Notice,
  ProgressBar,
  RowSelectButton,
  Section,
  Spinner,
  useTrans
} from '../common/components';

// State, polled while the endpoint view is visible --------------------------------------

/**
 * The monitoring status and newest captures of one endpoint, polled with backoff
 * while `widget` is visible (faster while the baseline is being profiled).
 */
export class MonitoringState implements IDisposable {
  constructor(options: MonitoringState.IOptions) {
    this.name = options.name;
    this.model = options.model;
    this.poll = adaptivePoll({
      name: `jupyter-autopilot:monitoring:${this.name}`,
      widget: options.widget,
      timing: () => this.model.timing,
      factory: () => this.load()
    });
    // A prediction from this client may have been captured.
    this.model.endpointsChanged.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  readonly name: string;

  /** Emitted whenever something below changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** null until known; false on a backend without monitoring (nothing is shown). */
  get supported(): boolean | null {
    return this._supported;
  }

  get status(): MonitoringStatus | null {
    return this._status;
  }

  get error(): unknown {
    return this._error;
  }

  get captures(): CapturedRecords | null {
    return this._captures;
  }

  get capturesError(): unknown {
    return this._capturesError;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Ask again now (and poll quickly for a while). */
  async refresh(): Promise<void> {
    if (this._disposed) {
      return;
    }
    this.poll.resetBackoff();
    await this.poll.refresh();
  }

  /** Show a status the server just answered (after Save or a report). */
  setStatus(status: MonitoringStatus): void {
    this._status = status;
    this._error = null;
    this._changed.emit();
    void this.refresh();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this.poll.dispose();
    Signal.clearData(this);
  }

  private async load(): Promise<boolean> {
    if (this._supported === false || this._gone) {
      return false;
    }
    try {
      if (!monitoringSupported(await this.model.health())) {
        this._supported = false;
        this._changed.emit();
        return false;
      }
    } catch {
      // Health failed: the monitoring route answers for itself below.
    }
    let status: MonitoringStatus;
    try {
      status = await this.model.client.getMonitoring(this.name);
    } catch (error) {
      if (isNotImplemented(error)) {
        this._supported = false;
      } else if (isNotFound(error)) {
        // The endpoint is gone; its view says so.
        this._gone = true;
      } else {
        this._error = error;
      }
      this._changed.emit();
      if (this._supported === false || this._gone) {
        return false;
      }
      throw error;
    }
    const previous = this._status;
    this._supported = true;
    this._status = status;
    this._error = null;
    const newCaptures =
      this._captures === null ||
      !previous ||
      previous.captured_records !== status.captured_records ||
      previous.last_capture_at !== status.last_capture_at;
    if (newCaptures && !this._disposed) {
      try {
        this._captures = await this.model.client.listCaptures(
          this.name,
          RECENT_CAPTURES
        );
        this._capturesError = null;
      } catch (error) {
        this._capturesError = error;
      }
    }
    this._changed.emit();
    return isMonitoringBusy(status);
  }

  private model: AutopilotModel;
  private poll: Poll & { resetBackoff: () => void };
  private _changed = new Signal<this, void>(this);
  private _supported: boolean | null = null;
  private _gone = false;
  private _status: MonitoringStatus | null = null;
  private _error: unknown = null;
  private _captures: CapturedRecords | null = null;
  private _capturesError: unknown = null;
  private _disposed = false;
}

export namespace MonitoringState {
  export interface IOptions {
    name: string;
    model: AutopilotModel;
    /** The view: polling stands by while it is hidden. */
    widget: Widget;
  }
}

// The section ------------------------------------------------------------------------

/** A drift status chip. */
export function DriftStatusChip(props: {
  status: DriftStatus | string;
}): JSX.Element {
  const trans = useTrans();
  return (
    <span
      className={`jp-Autopilot-badge jp-AutopilotMonitoring-status ${driftStatusClass(
        props.status
      )}`}
      data-status={props.status}
      title={driftStatusHelp(props.status, trans)}
    >
      {driftStatusLabel(props.status, trans)}
    </span>
  );
}

/**
 * Monitoring of one endpoint. Renders nothing on a backend without monitoring.
 */
export function MonitoringSection(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  state: MonitoringState;
}): JSX.Element | null {
  const trans = useTrans();
  const { endpoint, model, state } = props;
  const status = state.status;
  if (state.supported === false) {
    return null;
  }
  const idPrefix = `jp-autopilot-monitoring-${endpoint.name}`;
  return (
    <Section
      title={trans.__('Monitoring')}
      id={idPrefix}
      className="jp-AutopilotMonitoring"
      actions={
        <Button
          minimal
          small
          aria-label={trans.__('Refresh monitoring')}
          title={trans.__('Refresh monitoring')}
          onClick={() => void state.refresh()}
        >
          <refreshIcon.react tag="span" />
        </Button>
      }
    >
      <p className="jp-Autopilot-muted">
        {trans.__(
          'Capture a sample of the requests this endpoint receives and compare them with the training data, like SageMaker Model Monitor: drift per feature, drift of the predictions and constraint violations.'
        )}
      </p>
      <ErrorMessage
        error={state.error}
        title={trans.__('Cannot load the monitoring status.')}
        onRetry={() => void state.refresh()}
      />
      {status ? (
        <MonitoringBody
          endpoint={endpoint}
          model={model}
          state={state}
          status={status}
          idPrefix={idPrefix}
        />
      ) : (
        !state.error && (
          <div className="jp-AutopilotMonitoring-placeholder">
            <Loading label={trans.__('Loading monitoring…')} />
          </div>
        )
      )}
    </Section>
  );
}

function MonitoringBody(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  state: MonitoringState;
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const { endpoint, model, state, status, idPrefix } = props;
  const reports = React.useMemo(
    () => sortReports(status.reports ?? []),
    [status.reports]
  );
  const [selectedId, setSelectedId] = React.useState<string | null>(null);
  const [cache, setCache] = React.useState<Record<string, MonitoringReport>>(
    {}
  );
  // A report just run is shown before the next status lists it.
  const selected =
    reports.find(r => r.id === selectedId) ??
    (selectedId ? cache[selectedId] : undefined) ??
    reports[0] ??
    null;
  const remember = (report: MonitoringReport) =>
    setCache(c => ({ ...c, [report.id]: report }));

  return (
    <>
      <div className="jp-AutopilotMonitoring-top">
        <SettingsForm
          endpoint={endpoint}
          model={model}
          state={state}
          status={status}
          idPrefix={idPrefix}
        />
        <CaptureSummary status={status} idPrefix={idPrefix} />
      </div>
      <RunReport
        endpoint={endpoint}
        model={model}
        status={status}
        idPrefix={idPrefix}
        onReport={report => {
          remember(report);
          setSelectedId(report.id);
          void state.refresh();
        }}
      />
      <ReportsList
        reports={reports}
        selected={selected?.id ?? null}
        onSelect={setSelectedId}
        idPrefix={idPrefix}
      />
      {selected && (
        <ReportDetail
          key={selected.id}
          endpoint={endpoint.name}
          backend={endpoint.backend}
          model={model}
          summary={selected}
          cached={cache[selected.id] ?? null}
          onLoaded={remember}
          idPrefix={idPrefix}
        />
      )}
      <RecentCaptures state={state} status={status} idPrefix={idPrefix} />
    </>
  );
}

/** A heading inside the section, labelling its group. */
function SubHeading(props: { id: string; children: React.ReactNode }) {
  return (
    <h4 id={props.id} className="jp-AutopilotMonitoring-heading">
      {props.children}
    </h4>
  );
}

// Settings ---------------------------------------------------------------------------

function SettingsForm(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  state: MonitoringState;
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { status, idPrefix } = props;
  const [form, setForm] = React.useState<IMonitoringForm>(() =>
    formFromStatus(status)
  );
  const [edited, setEdited] = React.useState(false);
  const [saving, setSaving] = React.useState(false);
  const [saved, setSaved] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);

  // Follow the server (another client, the deploy dialog) until the user edits.
  const serverForm = formFromStatus(status);
  const serverKey = JSON.stringify(serverForm);
  React.useEffect(() => {
    if (!edited) {
      setForm(serverForm);
    }
  }, [serverKey]);

  const { config, errors } = monitoringConfig(form, trans);
  const changed = isFormChanged(form, status);
  const update = (patch: Partial<IMonitoringForm>) => {
    setForm(f => ({ ...f, ...patch }));
    setEdited(true);
    setSaved(false);
  };
  const save = async () => {
    if (!config) {
      return;
    }
    setSaving(true);
    setError(null);
    setSaved(false);
    try {
      const next = await props.model.client.configureMonitoring(
        props.endpoint.name,
        config
      );
      setForm(formFromStatus(next));
      setEdited(false);
      setSaved(true);
      props.state.setStatus(next);
    } catch (e) {
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  const headingId = `${idPrefix}-settings`;
  const samplingId = `${idPrefix}-sampling`;
  const minutesId = `${idPrefix}-minutes`;
  const samplingHelp = trans.__('Share of the requests recorded, 1 to 100.');
  return (
    <form
      className="jp-AutopilotMonitoring-box jp-AutopilotMonitoring-settings"
      aria-labelledby={headingId}
      onSubmit={e => {
        e.preventDefault();
        void save();
      }}
    >
      <SubHeading id={headingId}>
        {trans.__('Data capture and schedule')}
      </SubHeading>
      <label className="jp-Autopilot-checkbox">
        <input
          type="checkbox"
          checked={form.captureEnabled}
          onChange={e => update({ captureEnabled: e.target.checked })}
        />
        {trans.__('Capture requests and predictions')}
      </label>
      <Field
        id={samplingId}
        label={trans.__('Sampling (%)')}
        help={samplingHelp}
        error={errors.sampling}
      >
        <input
          id={samplingId}
          className={`jp-mod-styled jp-AutopilotMonitoring-number${
            errors.sampling ? ' jp-mod-error' : ''
          }`}
          type="number"
          min={1}
          max={100}
          step={1}
          value={form.samplingPercentage}
          aria-invalid={errors.sampling ? true : undefined}
          aria-describedby={describedBy(
            samplingId,
            samplingHelp,
            errors.sampling
          )}
          onChange={e => update({ samplingPercentage: e.target.value })}
        />
      </Field>
      <fieldset className="jp-Autopilot-fieldset">
        <legend>{trans.__('Drift reports')}</legend>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name={`${idPrefix}-schedule`}
            checked={!form.scheduled}
            onChange={() => update({ scheduled: false })}
          />
          {trans.__('On demand only')}
        </label>
        <label className="jp-Autopilot-radio jp-AutopilotMonitoring-every">
          <input
            type="radio"
            name={`${idPrefix}-schedule`}
            checked={form.scheduled}
            onChange={() => update({ scheduled: true })}
          />
          {trans.__('On a schedule')}
        </label>
        <div className="jp-Autopilot-inline jp-AutopilotMonitoring-minutes">
          <label htmlFor={minutesId}>{trans.__('Every')}</label>
          <input
            id={minutesId}
            className={`jp-mod-styled jp-AutopilotMonitoring-number${
              errors.schedule ? ' jp-mod-error' : ''
            }`}
            type="number"
            min={1}
            max={MAX_SCHEDULE_MINUTES}
            step={1}
            disabled={!form.scheduled}
            value={form.scheduleMinutes}
            aria-label={trans.__('Schedule interval (minutes)')}
            aria-invalid={errors.schedule ? true : undefined}
            aria-describedby={
              errors.schedule ? `${minutesId}-error` : undefined
            }
            onChange={e => update({ scheduleMinutes: e.target.value })}
          />
          <span>{trans.__('minutes')}</span>
        </div>
        <div
          id={`${minutesId}-error`}
          className="jp-Autopilot-fieldError"
          aria-live="polite"
        >
          {errors.schedule ?? ''}
        </div>
      </fieldset>
      <div className="jp-Autopilot-inline">
        <Button
          type="submit"
          className="jp-Autopilot-primary"
          disabled={saving || !config || !changed}
        >
          {saving && <Spinner />}
          {trans.__('Save')}
        </Button>
        <span
          className="jp-Autopilot-muted jp-AutopilotMonitoring-saved"
          role="status"
        >
          {saved ? trans.__('Saved.') : changed ? trans.__('Not saved') : ''}
        </span>
      </div>
      <ErrorMessage
        error={error}
        title={trans.__('The settings were not saved.')}
      />
    </form>
  );
}

// What was captured, and the baseline --------------------------------------------------

function CaptureSummary(props: {
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { status } = props;
  const capture = status.data_capture;
  const headingId = `${props.idPrefix}-captured`;
  return (
    <div
      className="jp-AutopilotMonitoring-box"
      role="group"
      aria-labelledby={headingId}
    >
      <SubHeading id={headingId}>{trans.__('Captured data')}</SubHeading>
      <KeyValues
        label={trans.__('Captured data and baseline')}
        items={[
          [
            trans.__('Data capture'),
            capture.enabled
              ? trans.__(
                  'On, %1 of requests',
                  formatPercent(capture.sampling_percentage / 100)
                )
              : trans.__('Off')
          ],
          [
            trans.__('Drift reports'),
            scheduleText(status.schedule_minutes, trans)
          ],
          [
            trans.__('Captured'),
            trans.__(
              '%1 requests · %2 rows',
              formatCount(status.captured_records),
              formatCount(status.captured_rows)
            )
          ],
          [
            trans.__('Last capture'),
            status.last_capture_at ? (
              <span title={formatDateTime(status.last_capture_at)}>
                {formatRelativeTime(status.last_capture_at, Date.now(), trans)}
              </span>
            ) : (
              trans.__('nothing captured yet')
            )
          ],
          [
            trans.__('Baseline'),
            status.baseline ? (
              <span>
                {trans.__(
                  '%1 training rows of %2, %3 features',
                  formatCount(status.baseline.rows),
                  status.baseline.source,
                  status.baseline.features
                )}{' '}
                <span
                  className="jp-Autopilot-muted"
                  title={formatDateTime(status.baseline.created_at)}
                >
                  (
                  {trans.__(
                    'profiled %1',
                    formatRelativeTime(
                      status.baseline.created_at,
                      Date.now(),
                      trans
                    )
                  )}
                  )
                </span>
              </span>
            ) : status.baseline_error ? (
              <span className="jp-AutopilotMonitoring-baselineError">
                {status.baseline_error}
              </span>
            ) : capture.enabled ? (
              <span>
                <Spinner /> {trans.__('Profiling the training data…')}
              </span>
            ) : (
              trans.__('profiled from the training data at the first report')
            )
          ]
        ]}
      />
      {!capture.enabled && (
        <Notice kind="info">
          {trans.__(
            'Data capture is off: turn it on and save to record requests for drift reports.'
          )}
        </Notice>
      )}
    </div>
  );
}

// Run a report -----------------------------------------------------------------------

function RunReport(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  status: MonitoringStatus;
  idPrefix: string;
  onReport: (report: MonitoringReport) => void;
}): JSX.Element {
  const trans = useTrans();
  const [windowText, setWindowText] = React.useState('24');
  const [running, setRunning] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);
  const { hours, error: windowError } = parseWindowHours(windowText, trans);
  const windowId = `${props.idPrefix}-window`;
  const headingId = `${props.idPrefix}-run`;
  const run = async () => {
    if (hours === null) {
      return;
    }
    setRunning(true);
    setError(null);
    try {
      const report = await props.model.client.runMonitoringReport(
        props.endpoint.name,
        { window_hours: hours }
      );
      props.onReport(report);
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  const help = trans.__(
    'Compare the requests captured this many hours back with the training data.'
  );
  return (
    <form
      className="jp-AutopilotMonitoring-run"
      aria-labelledby={headingId}
      onSubmit={e => {
        e.preventDefault();
        void run();
      }}
    >
      <SubHeading id={headingId}>{trans.__('Drift report')}</SubHeading>
      <div className="jp-AutopilotMonitoring-runRow">
        <Field
          id={windowId}
          label={trans.__('Window (hours)')}
          help={help}
          error={windowError}
        >
          <input
            id={windowId}
            className={`jp-mod-styled jp-AutopilotMonitoring-number${
              windowError ? ' jp-mod-error' : ''
            }`}
            type="number"
            min={0}
            step="any"
            value={windowText}
            aria-invalid={windowError ? true : undefined}
            aria-describedby={describedBy(windowId, help, windowError)}
            onChange={e => setWindowText(e.target.value)}
          />
        </Field>
        <Button
          type="submit"
          className="jp-Autopilot-primary"
          disabled={running || hours === null}
        >
          {running ? <Spinner /> : <ButtonIcon icon={runIcon} />}
          {trans.__('Run drift report')}
        </Button>
      </div>
      <div className="jp-AutopilotMonitoring-progress" aria-live="polite">
        {running && (
          <>
            <ProgressBar value={null} label={trans.__('Drift report')} />
            <span>
              {props.status.baseline
                ? trans.__('Comparing the captured data with the baseline…')
                : trans.__(
                    'Profiling the training data, then comparing the captured data with it…'
                  )}
            </span>
          </>
        )}
      </div>
      <ErrorMessage
        error={error}
        title={trans.__('The drift report did not run.')}
        onDismiss={() => setError(null)}
      />
    </form>
  );
}

// Reports ----------------------------------------------------------------------------

function ReportsList(props: {
  reports: MonitoringReportSummary[];
  selected: string | null;
  onSelect: (id: string) => void;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const headingId = `${props.idPrefix}-reports`;
  return (
    <div role="group" aria-labelledby={headingId}>
      <SubHeading id={headingId}>{trans.__('Reports')}</SubHeading>
      {props.reports.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {trans.__(
            'No drift report yet. Run one above, or set a schedule to run them regularly.'
          )}
        </p>
      ) : (
        <div className="jp-Autopilot-tableScroll jp-AutopilotMonitoring-reports">
          <table
            className="jp-Autopilot-table"
            aria-label={trans.__('Drift reports')}
          >
            <thead>
              <tr>
                <th scope="col">{trans.__('Time')}</th>
                <th scope="col">{trans.__('Trigger')}</th>
                <th scope="col">{trans.__('Status')}</th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Drifted features')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Violations')}
                </th>
                <th scope="col" className="jp-mod-numeric">
                  {trans.__('Rows')}
                </th>
                <th scope="col">{trans.__('Window')}</th>
              </tr>
            </thead>
            <tbody>
              {props.reports.map(r => {
                const selected = r.id === props.selected;
                const hours =
                  (Date.parse(r.window_end) - Date.parse(r.window_start)) /
                  3600_000;
                return (
                  <tr
                    key={r.id}
                    className={selected ? 'jp-mod-selected' : undefined}
                    aria-selected={selected}
                    data-report={r.id}
                    onClick={() => props.onSelect(r.id)}
                  >
                    <th scope="row">
                      <RowSelectButton
                        selected={selected}
                        title={formatDateTime(r.created_at)}
                        onSelect={() => props.onSelect(r.id)}
                      >
                        {formatDateTime(r.created_at)}
                      </RowSelectButton>
                    </th>
                    <td>{triggerLabel(r.trigger, trans)}</td>
                    <td>
                      <DriftStatusChip status={r.status} />
                    </td>
                    <td className="jp-mod-numeric">{r.drifted_features}</td>
                    <td className="jp-mod-numeric">{r.violations}</td>
                    <td className="jp-mod-numeric">{formatCount(r.rows)}</td>
                    <td>{formatWindow(hours, trans)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function ReportDetail(props: {
  endpoint: string;
  /** The endpoint's backend: SageMaker endpoints have no prediction drift. */
  backend: string;
  model: AutopilotModel;
  summary: MonitoringReportSummary;
  cached: MonitoringReport | null;
  onLoaded: (report: MonitoringReport) => void;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { summary } = props;
  const [error, setError] = React.useState<unknown>(null);
  const [attempt, setAttempt] = React.useState(0);
  const report = props.cached;

  React.useEffect(() => {
    if (report) {
      return;
    }
    let cancelled = false;
    setError(null);
    props.model.client.getMonitoringReport(props.endpoint, summary.id).then(
      r => {
        if (!cancelled) {
          props.onLoaded(r);
        }
      },
      e => {
        if (!cancelled) {
          setError(e);
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [summary.id, attempt]);

  const headingId = `${props.idPrefix}-report`;
  return (
    <article
      className="jp-AutopilotMonitoring-report"
      aria-labelledby={headingId}
      data-report={summary.id}
    >
      <header className="jp-AutopilotMonitoring-reportHeader">
        <SubHeading id={headingId}>
          {trans.__('Report of %1', formatDateTime(summary.created_at))}
        </SubHeading>
        <DriftStatusChip status={summary.status} />
      </header>
      <p className="jp-AutopilotMonitoring-summary">
        {reportSummaryText(report ?? summary, trans)}
      </p>
      <p className="jp-Autopilot-muted">
        {trans.__(
          'Requests captured between %1 and %2 (%3) compared with %4 training rows.',
          formatDateTime(summary.window_start),
          formatDateTime(summary.window_end),
          formatWindow(
            (Date.parse(summary.window_end) -
              Date.parse(summary.window_start)) /
              3600_000,
            trans
          ),
          report ? formatCount(report.baseline_rows) : '…'
        )}
      </p>
      <ErrorMessage
        error={error}
        title={trans.__('Cannot load the report.')}
        onRetry={() => setAttempt(a => a + 1)}
      />
      {report ? (
        <ReportBody
          report={report}
          backend={props.backend}
          idPrefix={props.idPrefix}
        />
      ) : (
        !error && (
          <div className="jp-AutopilotMonitoring-placeholder jp-mod-report">
            <Loading label={trans.__('Loading the report…')} />
          </div>
        )
      )}
    </article>
  );
}

function statusLabels(trans: TranslationBundle): Record<string, string> {
  return {
    ok: driftStatusLabel('ok', trans),
    warning: driftStatusLabel('warning', trans),
    drift: driftStatusLabel('drift', trans),
    insufficient_data: driftStatusLabel('insufficient_data', trans)
  };
}

function ReportBody(props: {
  report: MonitoringReport;
  backend: string;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { report } = props;
  const features = React.useMemo(() => sortFeatures(report.features), [report]);
  const [feature, setFeature] = React.useState<string | null>(
    () => features.find(f => f.histogram)?.feature ?? null
  );
  const chosen = features.find(f => f.feature === feature) ?? null;
  const violations = React.useMemo(
    () => sortViolations(report.constraint_violations ?? []),
    [report]
  );
  const chartError = trans.__('The chart could not be drawn.');
  const psi = React.useMemo(
    () =>
      features.some(f => typeof f.distance === 'number')
        ? psiSpec(
            features,
            {
              feature: trans.__('Feature'),
              psi: trans.__('PSI'),
              status: trans.__('Status'),
              warning: trans.__('Moderate shift above 0.1'),
              drift: trans.__('Drift above 0.25')
            },
            statusLabels(trans)
          )
        : null,
    [features]
  );
  const histogramTexts = {
    share: trans.__('Share of values'),
    baseline: trans.__('Training data (baseline)'),
    current: trans.__('Captured'),
    series: trans.__('Data')
  };
  const histogram = React.useMemo(
    () =>
      chosen?.histogram
        ? histogramSpec(chosen.histogram, {
            ...histogramTexts,
            bin: chosen.kind === 'numeric' ? trans.__('Range') : chosen.feature
          })
        : null,
    [chosen]
  );
  const prediction = React.useMemo(
    () =>
      report.prediction?.histogram
        ? histogramSpec(report.prediction.histogram, {
            ...histogramTexts,
            share: trans.__('Share of predictions'),
            bin:
              report.prediction.kind === 'label'
                ? trans.__('Predicted label')
                : trans.__('Predicted value')
          })
        : null,
    [report]
  );
  const withPsi = features.filter(f => typeof f.distance === 'number').length;
  return (
    <>
      <div className="jp-Autopilot-charts">
        {psi && (
          <div className="jp-Autopilot-chartBox">
            <h5>{trans.__('Population stability index per feature')}</h5>
            <VegaChart
              spec={psi}
              label={trans.__(
                'Population stability index of each feature, with the 0.1 and 0.25 thresholds'
              )}
              minHeight={withPsi * 20 + 70}
              errorText={chartError}
            />
          </div>
        )}
        <div className="jp-Autopilot-chartBox">
          <h5>
            {trans.__('Predictions')}{' '}
            {report.prediction && (
              <>
                <DriftStatusChip status={report.prediction.status} />{' '}
                <span className="jp-Autopilot-muted">
                  {trans.__('PSI %1', formatPsi(report.prediction.distance))}
                </span>
              </>
            )}
          </h5>
          {prediction ? (
            <VegaChart
              spec={prediction}
              label={trans.__(
                'Share of each prediction in the training data and in the captured requests'
              )}
              minHeight={260}
              errorText={chartError}
            />
          ) : (
            <p className="jp-Autopilot-muted">
              {props.backend === 'sagemaker'
                ? trans.__(
                    'Prediction drift is not computed for SageMaker endpoints: there is no model on this server to predict the training data’s labels for the baseline. Feature drift and the constraints are checked.'
                  )
                : trans.__('No predictions were captured in this window.')}
            </p>
          )}
        </div>
      </div>
      <FeaturesTable
        features={features}
        selected={chosen?.feature ?? null}
        onSelect={setFeature}
      />
      <div
        className="jp-Autopilot-chartBox jp-AutopilotMonitoring-histogram"
        aria-live="polite"
      >
        {chosen ? (
          <>
            <h5>
              {trans.__('Distribution of %1', chosen.feature)}{' '}
              <DriftStatusChip status={chosen.status} />{' '}
              <span className="jp-Autopilot-muted">
                {trans.__('PSI %1', formatPsi(chosen.distance))} ·{' '}
                {formatStatistic(chosen, trans)}
              </span>
            </h5>
            {histogram ? (
              <VegaChart
                spec={histogram}
                label={trans.__(
                  'Share of %1 values per bin in the training data and in the captured requests',
                  chosen.feature
                )}
                minHeight={260}
                errorText={chartError}
              />
            ) : (
              <p className="jp-Autopilot-muted">
                {trans.__(
                  'No distribution for this feature (free text, or no values captured).'
                )}
              </p>
            )}
          </>
        ) : (
          <p className="jp-Autopilot-muted">
            {trans.__('Choose a feature to see its distribution.')}
          </p>
        )}
      </div>
      <Violations violations={violations} />
    </>
  );
}

function FeaturesTable(props: {
  features: FeatureDrift[];
  selected: string | null;
  onSelect: (feature: string) => void;
}): JSX.Element {
  const trans = useTrans();
  return (
    <div className="jp-Autopilot-tableScroll jp-AutopilotMonitoring-features">
      <table
        className="jp-Autopilot-table"
        aria-label={trans.__('Feature drift')}
      >
        <thead>
          <tr>
            <th scope="col">{trans.__('Feature')}</th>
            <th scope="col">{trans.__('Type')}</th>
            <th scope="col">{trans.__('Status')}</th>
            <th
              scope="col"
              className="jp-mod-numeric"
              title={trans.__(
                'Population stability index: below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 drift'
              )}
            >
              {trans.__('PSI')}
            </th>
            <th
              scope="col"
              className="jp-mod-numeric"
              title={trans.__(
                'Kolmogorov-Smirnov statistic (numeric) or Jensen-Shannon distance (categories)'
              )}
            >
              {trans.__('KS / JS')}
            </th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Missing (baseline → captured)')}
            </th>
            <th scope="col" className="jp-mod-numeric">
              {trans.__('Values')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.features.map(f => {
            const selected = f.feature === props.selected;
            return (
              <tr
                key={f.feature}
                className={selected ? 'jp-mod-selected' : undefined}
                aria-selected={selected}
                data-feature={f.feature}
                data-status={f.status}
                onClick={() => props.onSelect(f.feature)}
              >
                <th scope="row">
                  <RowSelectButton
                    selected={selected}
                    title={trans.__('Show the distribution of %1', f.feature)}
                    onSelect={() => props.onSelect(f.feature)}
                  >
                    {f.feature}
                  </RowSelectButton>
                </th>
                <td>
                  <span className="jp-Autopilot-typeTag">{f.kind}</span>
                </td>
                <td>
                  <DriftStatusChip status={f.status} />
                </td>
                <td className="jp-mod-numeric">{formatPsi(f.distance)}</td>
                <td className="jp-mod-numeric">{formatStatistic(f, trans)}</td>
                <td className="jp-mod-numeric">{formatMissing(f)}</td>
                <td className="jp-mod-numeric">
                  {formatCount(f.current_count)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Violations(props: {
  violations: ReturnType<typeof sortViolations>;
}): JSX.Element {
  const trans = useTrans();
  return (
    <div className="jp-AutopilotMonitoring-violations">
      <h5>{trans.__('Constraint violations')}</h5>
      {props.violations.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {trans.__('The captured data meets every constraint.')}
        </p>
      ) : (
        <ul aria-label={trans.__('Constraint violations')}>
          {props.violations.map((v, i) => {
            const text = formatViolation(v, trans);
            return (
              <li
                key={`${v.feature}:${v.check}:${i}`}
                data-check={v.check}
                data-feature={v.feature ?? ''}
              >
                <strong>{text.title}</strong>
                <span>{text.message}</span>
                <span className="jp-Autopilot-muted">{text.figures}</span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

// Captured requests ------------------------------------------------------------------

function RecentCaptures(props: {
  state: MonitoringState;
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { state, status } = props;
  const captures = state.captures;
  const { columns, rows } = React.useMemo(
    () => captureRows(captures?.records ?? [], RECENT_CAPTURES),
    [captures]
  );
  const headingId = `${props.idPrefix}-captures`;
  return (
    <div role="group" aria-labelledby={headingId}>
      <SubHeading id={headingId}>
        {trans.__('Recent captured requests')}
      </SubHeading>
      <ErrorMessage
        error={state.capturesError}
        title={trans.__('Cannot load the captured requests.')}
        onRetry={() => void state.refresh()}
      />
      {captures === null ? (
        !state.capturesError && <Loading />
      ) : rows.length === 0 ? (
        <p className="jp-Autopilot-muted">
          {status.data_capture.enabled
            ? trans.__(
                'Nothing captured yet: send the endpoint some requests (Predict above, the REST API or the Python client).'
              )
            : trans.__('Nothing captured: data capture is off.')}
        </p>
      ) : (
        <>
          <p className="jp-Autopilot-muted">
            {trans.__(
              'The newest %1 rows of %2 captured requests, newest first.',
              rows.length,
              formatCount(captures.total)
            )}
          </p>
          <div className="jp-Autopilot-tableScroll jp-AutopilotMonitoring-captures">
            <table
              className="jp-Autopilot-table"
              aria-label={trans.__('Recent captured requests')}
            >
              <thead>
                <tr>
                  <th scope="col">{trans.__('Captured')}</th>
                  {columns.map(c => (
                    <th scope="col" key={c}>
                      {c}
                    </th>
                  ))}
                  <th scope="col" className="jp-mod-target">
                    {trans.__('Predicted label')}
                  </th>
                  <th scope="col" className="jp-mod-numeric jp-mod-target">
                    {trans.__('Probability')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(row => (
                  <tr key={row.key}>
                    <td title={formatDateTime(row.capturedAt)}>
                      {new Date(row.capturedAt).toLocaleTimeString()}
                    </td>
                    {columns.map(c => (
                      <td key={c}>{row.values[c] ?? '–'}</td>
                    ))}
                    <td className="jp-mod-target">{row.predictedLabel}</td>
                    <td className="jp-mod-numeric jp-mod-target">
                      {row.probability === null
                        ? '–'
                        : formatPercent(row.probability, 1)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
