/**
 * The monitoring settings: data capture (sampling) and the drift report schedule.
 */
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Endpoint, MonitoringStatus } from '../api/types';
import {
  describedBy,
  ErrorMessage,
  Field,
  Spinner,
  useTrans
} from '../common/components';
import { useFollowingForm } from '../common/hooks';
import { AutopilotModel } from '../model';
import { MAX_SCHEDULE_MINUTES } from './drift';
import { MonitoringState } from './MonitoringState';
import { SubHeading } from './parts';
import {
  formFromStatus,
  IMonitoringForm,
  isFormChanged,
  monitoringConfig
} from './settings';

/** Data capture and drift schedule settings of one endpoint. */
export function SettingsForm(props: {
  endpoint: Endpoint;
  model: AutopilotModel;
  state: MonitoringState;
  status: MonitoringStatus;
  idPrefix: string;
}): JSX.Element {
  const trans = useTrans();
  const { status, idPrefix } = props;
  // Follow the server (another client, the deploy dialog) until the user edits.
  const { form, setForm, setEdited } = useFollowingForm<IMonitoringForm>(
    formFromStatus(status)
  );
  const [saving, setSaving] = React.useState(false);
  const [saved, setSaved] = React.useState(false);
  const [error, setError] = React.useState<unknown>(null);

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
