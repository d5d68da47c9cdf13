/**
 * Drift as people read it (SageMaker Model Monitor-like): PSI thresholds, drift
 * statuses as words and colours, feature and report ordering, constraint
 * violations and report summaries as text. Pure functions (no React, no requests).
 */
import type {
  DriftStatus,
  FeatureDrift,
  MonitoringReportSummary,
  Violation
} from '../api/types';
import { formatCount, formatPercent } from '../format';
import { identityTrans, Trans } from '../logic/trans';

/** PSI below this: stable (`ok`). */
export const PSI_WARNING = 0.1;
/** PSI above this: drift (between the two: a moderate shift, `warning`). */
export const PSI_DRIFT = 0.25;
/** Longest drift report schedule the server accepts, in minutes (a week). */
export const MAX_SCHEDULE_MINUTES = 7 * 24 * 60;
/** Longest drift report window the server accepts, in hours (90 days). */
export const MAX_WINDOW_HOURS = 24 * 90;
/** Captured requests asked for the "Recent captured requests" table. */
export const RECENT_CAPTURES = 20;

/** A drift status as words. */
export function driftStatusLabel(
  status: DriftStatus | string,
  trans: Trans = identityTrans
): string {
  switch (status) {
    case 'ok':
      return trans.__('No drift');
    case 'warning':
      return trans.__('Moderate shift');
    case 'drift':
      return trans.__('Drift');
    case 'insufficient_data':
      return trans.__('Not enough data');
    default:
      return status;
  }
}

/** The modifier class of a drift status chip (its colour, see style/base.css). */
export function driftStatusClass(status: DriftStatus | string): string {
  switch (status) {
    case 'ok':
      return 'jp-mod-ok';
    case 'warning':
      return 'jp-mod-warning';
    case 'drift':
      return 'jp-mod-drift';
    default:
      return 'jp-mod-insufficient';
  }
}

/** What a drift status means, for tooltips. */
export function driftStatusHelp(
  status: DriftStatus | string,
  trans: Trans = identityTrans
): string {
  switch (status) {
    case 'ok':
      return trans.__('PSI below %1: the distribution is stable.', PSI_WARNING);
    case 'warning':
      return trans.__(
        'PSI between %1 and %2: a moderate shift.',
        PSI_WARNING,
        PSI_DRIFT
      );
    case 'drift':
      return trans.__(
        'PSI above %1: the data the endpoint receives differs from the training data.',
        PSI_DRIFT
      );
    case 'insufficient_data':
      return trans.__(
        'Fewer than 30 captured values: no verdict yet. Widen the window or send more requests.'
      );
    default:
      return '';
  }
}

const STATUS_RANK: Record<string, number> = {
  drift: 0,
  warning: 1,
  ok: 2,
  insufficient_data: 3
};

/** Features with drift first, then moderate shifts, then by PSI (largest first), then name. */
export function sortFeatures(
  features: readonly FeatureDrift[]
): FeatureDrift[] {
  const distance = (f: FeatureDrift) =>
    typeof f.distance === 'number' && isFinite(f.distance) ? f.distance : -1;
  return [...features].sort(
    (a, b) =>
      (STATUS_RANK[a.status] ?? 4) - (STATUS_RANK[b.status] ?? 4) ||
      distance(b) - distance(a) ||
      a.feature.localeCompare(b.feature)
  );
}

/** Reports newest first (the server's order, made certain). */
export function sortReports(
  reports: readonly MonitoringReportSummary[]
): MonitoringReportSummary[] {
  return [...reports].sort(
    (a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)
  );
}

/** A population stability index with two decimals ("–" when unknown). */
export function formatPsi(distance: number | null | undefined): string {
  if (distance === null || distance === undefined || !isFinite(distance)) {
    return '–';
  }
  return distance >= 100 ? distance.toExponential(1) : distance.toFixed(2);
}

/** The second-opinion statistic: "KS 0.42" (numeric) or "JS 0.31" (categories). */
export function formatStatistic(
  feature: Pick<FeatureDrift, 'statistic' | 'statistic_name'>,
  trans: Trans = identityTrans
): string {
  if (feature.statistic === null || feature.statistic === undefined) {
    return '–';
  }
  const name =
    feature.statistic_name === 'ks'
      ? trans.__('KS')
      : feature.statistic_name === 'jensen_shannon'
        ? trans.__('JS')
        : '';
  return `${name} ${feature.statistic.toFixed(2)}`.trim();
}

/** Missing values in the baseline and now: "0% → 12%". */
export function formatMissing(
  feature: Pick<FeatureDrift, 'baseline_missing' | 'current_missing'>
): string {
  return `${formatPercent(feature.baseline_missing, 0)} → ${formatPercent(
    feature.current_missing,
    0
  )}`;
}

/** A constraint check as words. */
export function checkLabel(
  check: Violation['check'] | string,
  trans: Trans = identityTrans
): string {
  switch (check) {
    case 'missing_values':
      return trans.__('Missing values');
    case 'data_type':
      return trans.__('Wrong data type');
    case 'unknown_category':
      return trans.__('Unknown category');
    case 'out_of_range':
      return trans.__('Out of range');
    case 'prediction_drift':
      return trans.__('Prediction drift');
    default:
      return check;
  }
}

/** A violation's observed value or threshold: a PSI for prediction drift, else a share. */
export function formatCheckValue(
  check: Violation['check'] | string,
  value: number
): string {
  if (check === 'prediction_drift') {
    return formatPsi(value);
  }
  return formatPercent(value, value > 0 && value < 0.01 ? 1 : 0);
}

/** A constraint violation as a title ("job · Unknown category"), message and figures. */
export interface IViolationText {
  title: string;
  message: string;
  figures: string;
}

/** A violation, ready to show. */
export function formatViolation(
  violation: Violation,
  trans: Trans = identityTrans
): IViolationText {
  const subject = violation.feature ?? trans.__('Predictions');
  return {
    title: `${subject} · ${checkLabel(violation.check, trans)}`,
    message: violation.message,
    figures: trans.__(
      'observed %1, limit %2',
      formatCheckValue(violation.check, violation.observed),
      formatCheckValue(violation.check, violation.threshold)
    )
  };
}

/** Violations in a stable order: by feature (predictions last), then check. */
export function sortViolations(violations: readonly Violation[]): Violation[] {
  return [...violations].sort(
    (a, b) =>
      (a.feature === null ? 1 : 0) - (b.feature === null ? 1 : 0) ||
      (a.feature ?? '').localeCompare(b.feature ?? '') ||
      a.check.localeCompare(b.check)
  );
}

/** A report trigger as words. */
export function triggerLabel(
  trigger: MonitoringReportSummary['trigger'] | string,
  trans: Trans = identityTrans
): string {
  switch (trigger) {
    case 'on_demand':
      return trans.__('On demand');
    case 'schedule':
      return trans.__('Scheduled');
    default:
      return trigger;
  }
}

/** A window length: "24 h", "30 min", "3 days". */
export function formatWindow(
  hours: number,
  trans: Trans = identityTrans
): string {
  if (!isFinite(hours) || hours <= 0) {
    return '';
  }
  if (hours < 1) {
    return trans.__('%1 min', Math.round(hours * 60));
  }
  if (hours >= 48 && Number.isInteger(hours / 24)) {
    return trans.__('%1 days', hours / 24);
  }
  return trans.__('%1 h', Number(hours.toFixed(2)));
}

/** The one-line summary of a report. */
export function reportSummaryText(
  report: Pick<
    MonitoringReportSummary,
    'drifted_features' | 'violations' | 'rows' | 'records'
  > & { features?: readonly unknown[] },
  trans: Trans = identityTrans
): string {
  const parts: string[] = [];
  if (report.features) {
    parts.push(
      trans.__(
        '%1 of %2 features drifted',
        report.drifted_features,
        report.features.length
      )
    );
  } else {
    parts.push(trans.__('%1 features drifted', report.drifted_features));
  }
  parts.push(
    report.violations === 1
      ? trans.__('1 constraint violation')
      : trans.__('%1 constraint violations', report.violations)
  );
  parts.push(
    trans.__(
      '%1 rows from %2 requests',
      formatCount(report.rows),
      formatCount(report.records)
    )
  );
  return parts.join(' · ');
}
