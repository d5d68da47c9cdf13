/**
 * The monitoring settings form (capture sampling, drift schedule and window) and
 * the captured requests as table rows. Pure functions (no React, no requests).
 */
import type {
  CapturedRecord,
  MonitoringConfig,
  MonitoringStatus
} from '../api/types';
import { formatValue } from '../format';
import { identityTrans, Trans } from '../logic/trans';
import {
  MAX_SCHEDULE_MINUTES,
  MAX_WINDOW_HOURS,
  RECENT_CAPTURES
} from './drift';

/** What the monitoring settings form holds; numbers stay text until validated. */
export interface IMonitoringForm {
  captureEnabled: boolean;
  samplingPercentage: string;
  /** false: drift reports on demand only. */
  scheduled: boolean;
  scheduleMinutes: string;
}

/** The form showing what the server has. */
export function formFromStatus(
  status: Pick<MonitoringStatus, 'data_capture' | 'schedule_minutes'>
): IMonitoringForm {
  const minutes = status.schedule_minutes;
  return {
    captureEnabled: status.data_capture.enabled,
    samplingPercentage: String(status.data_capture.sampling_percentage),
    scheduled: minutes !== null && minutes !== undefined,
    scheduleMinutes: String(minutes ?? 60)
  };
}

/** A whole number in text, or null ("12" yes; "12.5", "", "1e3x" no). */
function wholeNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return null;
  }
  return Number(trimmed);
}

/**
 * The request of a form, or a message per field (`sampling`, `schedule`).
 * Sampling is a whole percentage from 1 to 100; the schedule is empty (on demand
 * only) or a whole number of minutes from 1 to a week.
 */
export function monitoringConfig(
  form: IMonitoringForm,
  trans: Trans = identityTrans
): { config: MonitoringConfig | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const sampling = wholeNumber(form.samplingPercentage);
  if (sampling === null || sampling < 1 || sampling > 100) {
    errors.sampling = trans.__('Enter a whole percentage from 1 to 100.');
  }
  let schedule: number | null = null;
  if (form.scheduled && form.scheduleMinutes.trim() !== '') {
    schedule = wholeNumber(form.scheduleMinutes);
    if (schedule === null || schedule < 1 || schedule > MAX_SCHEDULE_MINUTES) {
      errors.schedule = trans.__(
        'Enter a whole number of minutes from 1 to %1 (a week), or choose on demand only.',
        MAX_SCHEDULE_MINUTES
      );
    }
  }
  if (Object.keys(errors).length) {
    return { config: null, errors };
  }
  return {
    config: {
      data_capture: {
        enabled: form.captureEnabled,
        sampling_percentage: sampling as number
      },
      schedule_minutes: schedule
    },
    errors
  };
}

/** Whether the form differs from what the server has (Save is useful). */
export function isFormChanged(
  form: IMonitoringForm,
  status: Pick<MonitoringStatus, 'data_capture' | 'schedule_minutes'>
): boolean {
  const { config } = monitoringConfig(form);
  if (!config) {
    return true;
  }
  return (
    config.data_capture.enabled !== status.data_capture.enabled ||
    config.data_capture.sampling_percentage !==
      status.data_capture.sampling_percentage ||
    config.schedule_minutes !== (status.schedule_minutes ?? null)
  );
}

/** The window of a drift report in hours, or an error message. */
export function parseWindowHours(
  text: string,
  trans: Trans = identityTrans
): { hours: number | null; error: string | null } {
  const trimmed = text.trim();
  const hours = trimmed === '' ? NaN : Number(trimmed);
  if (!isFinite(hours) || hours <= 0 || hours > MAX_WINDOW_HOURS) {
    return {
      hours: null,
      error: trans.__(
        'Enter a number of hours above 0 and at most %1 (90 days).',
        MAX_WINDOW_HOURS
      )
    };
  }
  return { hours, error: null };
}

/** The schedule as words ("every 60 min", "on demand only"). */
export function scheduleText(
  minutes: number | null | undefined,
  trans: Trans = identityTrans
): string {
  if (minutes === null || minutes === undefined) {
    return trans.__('on demand only');
  }
  return trans.__('every %1 min', minutes);
}

/**
 * Whether monitoring is settling (poll sooner): capture was just turned on and the
 * baseline is being profiled in the background.
 */
export function isMonitoringBusy(
  status: Pick<
    MonitoringStatus,
    'data_capture' | 'baseline' | 'baseline_error'
  > | null
): boolean {
  return (
    !!status &&
    status.data_capture.enabled &&
    !status.baseline &&
    !status.baseline_error
  );
}

// Captured requests -----------------------------------------------------------------

/** One row of a captured request, with what the model answered. */
export interface ICaptureRow {
  key: string;
  capturedAt: string;
  values: Record<string, string>;
  predictedLabel: string;
  probability: number | null;
}

/**
 * The newest `limit` captured rows (records come newest first; rows of one record
 * keep their order) and the input columns in order of first appearance.
 */
export function captureRows(
  records: readonly CapturedRecord[],
  limit = RECENT_CAPTURES
): { columns: string[]; rows: ICaptureRow[] } {
  const columns: string[] = [];
  const seen = new Set<string>();
  const rows: ICaptureRow[] = [];
  records.forEach((record, r) => {
    record.inputs.forEach((input, i) => {
      if (rows.length >= limit) {
        return;
      }
      for (const column of Object.keys(input)) {
        if (!seen.has(column)) {
          seen.add(column);
          columns.push(column);
        }
      }
      const output = record.outputs[i] ?? {};
      const probability = output['probability'];
      rows.push({
        key: `${record.captured_at}:${r}:${i}`,
        capturedAt: record.captured_at,
        values: Object.fromEntries(
          Object.entries(input).map(([k, v]) => [k, formatValue(v)])
        ),
        predictedLabel: formatValue(output['predicted_label']),
        probability:
          typeof probability === 'number' && isFinite(probability)
            ? probability
            : null
      });
    });
  });
  return { columns, rows };
}
