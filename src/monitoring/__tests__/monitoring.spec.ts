import type {
  CapturedRecord,
  FeatureDrift,
  MonitoringReportSummary,
  Violation
} from '../../api/types';
import { monitoringSupported } from '../../logic/features';
import {
  checkLabel,
  driftStatusClass,
  driftStatusHelp,
  driftStatusLabel,
  formatCheckValue,
  formatMissing,
  formatPsi,
  formatStatistic,
  formatViolation,
  formatWindow,
  reportSummaryText,
  sortFeatures,
  sortReports,
  sortViolations,
  triggerLabel
} from '../drift';
import {
  captureRows,
  formFromStatus,
  isFormChanged,
  isMonitoringBusy,
  monitoringConfig,
  parseWindowHours,
  scheduleText
} from '../settings';

function feature(
  name: string,
  status: FeatureDrift['status'],
  distance: number | null
): FeatureDrift {
  return {
    feature: name,
    kind: 'numeric',
    status,
    distance,
    statistic: null,
    statistic_name: null,
    baseline_missing: 0,
    current_missing: 0,
    current_count: 100,
    histogram: null
  };
}

const status = {
  data_capture: { enabled: true, sampling_percentage: 50 },
  schedule_minutes: null
};

describe('drift statuses', () => {
  it('has a label, a colour class and an explanation for each status', () => {
    expect(driftStatusLabel('ok')).toBe('No drift');
    expect(driftStatusLabel('warning')).toBe('Moderate shift');
    expect(driftStatusLabel('drift')).toBe('Drift');
    expect(driftStatusLabel('insufficient_data')).toBe('Not enough data');
    expect(driftStatusLabel('other')).toBe('other');
    expect(driftStatusClass('ok')).toBe('jp-mod-ok');
    expect(driftStatusClass('warning')).toBe('jp-mod-warning');
    expect(driftStatusClass('drift')).toBe('jp-mod-drift');
    expect(driftStatusClass('insufficient_data')).toBe('jp-mod-insufficient');
    expect(driftStatusHelp('drift')).toContain('0.25');
    expect(driftStatusHelp('warning')).toContain('0.1');
    expect(driftStatusHelp('ok')).toContain('stable');
    expect(driftStatusHelp('insufficient_data')).toContain('30');
    expect(driftStatusHelp('other')).toBe('');
  });

  it('hides monitoring where the backend answers 501', () => {
    expect(monitoringSupported(null)).toBe(true);
    expect(
      monitoringSupported({ features: { not_implemented: [] } } as any)
    ).toBe(true);
    expect(
      monitoringSupported({
        features: { not_implemented: ['monitoring_status', 'list_captures'] }
      } as any)
    ).toBe(false);
  });
});

describe('sorting', () => {
  it('puts drift first, then moderate shifts, then by PSI, then by name', () => {
    const sorted = sortFeatures([
      feature('b', 'ok', 0.05),
      feature('text', 'insufficient_data', null),
      feature('a', 'ok', 0.05),
      feature('job', 'drift', 0.9),
      feature('age', 'drift', 2.4),
      feature('balance', 'warning', 0.12),
      feature('c', 'ok', 0.08)
    ]).map(f => f.feature);
    expect(sorted).toEqual(['age', 'job', 'balance', 'c', 'a', 'b', 'text']);
  });

  it('lists reports newest first', () => {
    const report = (id: string, created_at: string) =>
      ({ id, created_at }) as MonitoringReportSummary;
    expect(
      sortReports([
        report('old', '2024-05-01T10:00:00Z'),
        report('new', '2024-05-02T10:00:00Z'),
        report('mid', '2024-05-01T12:00:00Z')
      ]).map(r => r.id)
    ).toEqual(['new', 'mid', 'old']);
  });

  it('orders violations by feature, predictions last', () => {
    const v = (feature: string | null, check: Violation['check']) =>
      ({ feature, check, message: '', observed: 0, threshold: 0 }) as Violation;
    expect(
      sortViolations([
        v(null, 'prediction_drift'),
        v('job', 'unknown_category'),
        v('age', 'out_of_range'),
        v('age', 'missing_values')
      ]).map(x => `${x.feature}:${x.check}`)
    ).toEqual([
      'age:missing_values',
      'age:out_of_range',
      'job:unknown_category',
      'null:prediction_drift'
    ]);
  });
});

describe('formatting', () => {
  it('formats PSI, the second statistic and missing shares', () => {
    expect(formatPsi(0.1234)).toBe('0.12');
    expect(formatPsi(null)).toBe('–');
    expect(formatPsi(Infinity)).toBe('–');
    expect(formatPsi(1234)).toBe('1.2e+3');
    expect(formatStatistic({ statistic: 0.4231, statistic_name: 'ks' })).toBe(
      'KS 0.42'
    );
    expect(
      formatStatistic({ statistic: 0.31, statistic_name: 'jensen_shannon' })
    ).toBe('JS 0.31');
    expect(formatStatistic({ statistic: null, statistic_name: null })).toBe(
      '–'
    );
    expect(formatMissing({ baseline_missing: 0, current_missing: 0.125 })).toBe(
      '0% → 13%'
    );
  });

  it('formats violations with their message and figures', () => {
    const unknown: Violation = {
      feature: 'job',
      check: 'unknown_category',
      message: "40% of 'job' values never appeared in the training data.",
      observed: 0.4,
      threshold: 0.05
    };
    expect(formatViolation(unknown)).toEqual({
      title: 'job · Unknown category',
      message: "40% of 'job' values never appeared in the training data.",
      figures: 'observed 40%, limit 5%'
    });
    const prediction: Violation = {
      feature: null,
      check: 'prediction_drift',
      message: 'The distribution of predictions has shifted.',
      observed: 0.61,
      threshold: 0.25
    };
    expect(formatViolation(prediction).title).toBe(
      'Predictions · Prediction drift'
    );
    expect(formatViolation(prediction).figures).toBe(
      'observed 0.61, limit 0.25'
    );
    expect(formatCheckValue('data_type', 0.004)).toBe('0.4%');
    expect(checkLabel('missing_values')).toBe('Missing values');
    expect(checkLabel('data_type')).toBe('Wrong data type');
    expect(checkLabel('out_of_range')).toBe('Out of range');
    expect(checkLabel('new_check')).toBe('new_check');
  });

  it('describes triggers, windows, schedules and reports', () => {
    expect(triggerLabel('on_demand')).toBe('On demand');
    expect(triggerLabel('schedule')).toBe('Scheduled');
    expect(formatWindow(24)).toBe('24 h');
    expect(formatWindow(0.5)).toBe('30 min');
    expect(formatWindow(72)).toBe('3 days');
    expect(formatWindow(0)).toBe('');
    expect(scheduleText(null)).toBe('on demand only');
    expect(scheduleText(60)).toBe('every 60 min');
    const summary = {
      drifted_features: 2,
      violations: 1,
      rows: 1200,
      records: 12
    };
    expect(reportSummaryText(summary)).toBe(
      `2 features drifted · 1 constraint violation · ${(1200).toLocaleString()} rows from 12 requests`
    );
    expect(
      reportSummaryText({ ...summary, violations: 3, features: [1, 2, 3] })
    ).toContain('2 of 3 features drifted · 3 constraint violations');
  });
});

describe('settings form', () => {
  it('starts from the server and round-trips', () => {
    const form = formFromStatus(status);
    expect(form).toEqual({
      captureEnabled: true,
      samplingPercentage: '50',
      scheduled: false,
      scheduleMinutes: '60'
    });
    expect(isFormChanged(form, status)).toBe(false);
    expect(monitoringConfig(form).config).toEqual({
      data_capture: { enabled: true, sampling_percentage: 50 },
      schedule_minutes: null
    });
    expect(formFromStatus({ ...status, schedule_minutes: 15 }).scheduled).toBe(
      true
    );
  });

  it('checks sampling is a whole percentage from 1 to 100', () => {
    const form = formFromStatus(status);
    for (const bad of ['0', '101', '12.5', '', 'abc', '-3']) {
      expect(
        monitoringConfig({ ...form, samplingPercentage: bad }).errors.sampling
      ).toMatch(/1 to 100/);
    }
    for (const good of ['1', '100', ' 42 ']) {
      expect(
        monitoringConfig({ ...form, samplingPercentage: good }).config
      ).not.toBeNull();
    }
  });

  it('checks the schedule is 1 minute or more, or on demand', () => {
    const form = { ...formFromStatus(status), scheduled: true };
    expect(
      monitoringConfig({ ...form, scheduleMinutes: '30' }).config
        ?.schedule_minutes
    ).toBe(30);
    // Empty: on demand only.
    expect(
      monitoringConfig({ ...form, scheduleMinutes: '' }).config
        ?.schedule_minutes
    ).toBeNull();
    for (const bad of ['0', '1.5', 'x', String(7 * 24 * 60 + 1)]) {
      expect(
        monitoringConfig({ ...form, scheduleMinutes: bad }).errors.schedule
      ).toMatch(/whole number of minutes/);
    }
    // A bad number is ignored while on demand only is chosen.
    expect(
      monitoringConfig({ ...form, scheduled: false, scheduleMinutes: '0' })
        .config?.schedule_minutes
    ).toBeNull();
  });

  it('knows when Save is useful', () => {
    const form = formFromStatus(status);
    expect(isFormChanged({ ...form, samplingPercentage: '60' }, status)).toBe(
      true
    );
    expect(isFormChanged({ ...form, captureEnabled: false }, status)).toBe(
      true
    );
    expect(isFormChanged({ ...form, scheduled: true }, status)).toBe(true);
    expect(isFormChanged({ ...form, samplingPercentage: 'x' }, status)).toBe(
      true
    );
  });

  it('checks the report window', () => {
    expect(parseWindowHours('24')).toEqual({ hours: 24, error: null });
    expect(parseWindowHours('0.5').hours).toBe(0.5);
    for (const bad of ['', '0', '-1', 'abc', '2161']) {
      expect(parseWindowHours(bad).error).toMatch(/hours/);
    }
  });

  it('polls faster while the baseline is being profiled', () => {
    expect(isMonitoringBusy(null)).toBe(false);
    expect(
      isMonitoringBusy({ ...status, baseline: null, baseline_error: null })
    ).toBe(true);
    expect(
      isMonitoringBusy({ ...status, baseline: null, baseline_error: 'gone' })
    ).toBe(false);
    expect(
      isMonitoringBusy({
        data_capture: { enabled: false, sampling_percentage: 100 },
        baseline: null,
        baseline_error: null
      })
    ).toBe(false);
  });
});

describe('captured requests', () => {
  const record = (
    at: string,
    inputs: Array<Record<string, unknown>>,
    outputs: Array<Record<string, unknown>>
  ): CapturedRecord => ({
    captured_at: at,
    content_type: 'text/csv',
    inputs,
    outputs,
    truncated: false
  });

  it('flattens records into rows, newest first, at most `limit`', () => {
    const { columns, rows } = captureRows(
      [
        record(
          '2024-05-02T10:00:00Z',
          [
            { age: 70, job: 'astronaut' },
            { age: 71.5, job: null }
          ],
          [
            { predicted_label: 'yes', probability: 0.81 },
            { predicted_label: 'no' }
          ]
        ),
        record(
          '2024-05-01T10:00:00Z',
          [{ age: 30, job: 'admin.', balance: 100 }],
          [{ predicted_label: 'no', probability: 0.1 }]
        )
      ],
      2
    );
    expect(columns).toEqual(['age', 'job']);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      capturedAt: '2024-05-02T10:00:00Z',
      values: { age: '70', job: 'astronaut' },
      predictedLabel: 'yes',
      probability: 0.81
    });
    expect(rows[1]).toMatchObject({
      values: { age: '71.5', job: '–' },
      predictedLabel: 'no',
      probability: null
    });
    const all = captureRows([
      record('2024-05-01T10:00:00Z', [{ age: 30, balance: 5 }], [])
    ]);
    expect(all.columns).toEqual(['age', 'balance']);
    expect(all.rows[0].predictedLabel).toBe('–');
    expect(new Set(all.rows.map(r => r.key)).size).toBe(all.rows.length);
  });
});
