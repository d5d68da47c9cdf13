/**
 * Endpoint monitoring (SageMaker Model Monitor's core) on the local backend: a small
 * experiment trained for real on generated data, deployed from the dialog with data
 * capture on, normal and then shifted requests sent through the API, a drift report
 * run from the endpoint view (age and job drift, the unseen job is a constraint
 * violation), a feature's histogram, and the sampling changed and saved.
 *
 * Nothing is stubbed. The screenshot `monitoring` goes to docs/images/ with
 * UPDATE_DOCS_IMAGES=1.
 */
import { expect, test } from '../helpers/fixtures';
import type { APIRequestContext } from '@playwright/test';

import { generator, removeExperiment, waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** Unique per run, so that leftovers of earlier runs never get in the way. */
const RUN = Date.now().toString(36);
const NAME = `monitoring-${RUN}`;
const DATA = `monitoring-${RUN}.csv`;
const JOBS = ['admin.', 'blue-collar', 'technician', 'services', 'management'];

/** A seeded generator (mulberry32), so the data is the same on every run. */
interface IRow {
  age: number;
  job: string;
  balance: number;
}

/** Rows like the training data: ages 20-60, five jobs, balances 0-5000. */
function normalRows(random: () => number, n: number): IRow[] {
  return Array.from({ length: n }, () => ({
    age: 20 + Math.floor(random() * 41),
    job: JOBS[Math.floor(random() * JOBS.length)],
    balance: Math.round(random() * 5000)
  }));
}

/** Rows the model never saw: older people and a job absent from the training data. */
function shiftedRows(random: () => number, n: number): IRow[] {
  return Array.from({ length: n }, () => ({
    age: 70 + Math.floor(random() * 20),
    job: 'astronaut',
    balance: Math.round(random() * 5000)
  }));
}

/** 1,500 rows with a target that depends on the features (and some noise). */
function trainingCsv(): string {
  const random = generator(42);
  const lines = ['age,job,balance,y'];
  for (const row of normalRows(random, 1500)) {
    const score =
      (row.age - 40) / 15 +
      (row.balance - 2500) / 1500 +
      (row.job === 'management' ? 0.8 : 0) +
      (random() - 0.5);
    lines.push(
      `${row.age},${row.job},${row.balance},${score > 0.5 ? 'yes' : 'no'}`
    );
  }
  return lines.join('\n') + '\n';
}

/** Send rows to the endpoint as JSON, `perRequest` rows per invocation. */
async function invoke(
  request: APIRequestContext,
  endpoint: string,
  rows: IRow[],
  perRequest: number
): Promise<void> {
  for (let i = 0; i < rows.length; i += perRequest) {
    const response = await request.post(
      `/autopilot/api/endpoints/${endpoint}/invocations`,
      { data: { instances: rows.slice(i, i + perRequest) } }
    );
    expect(response.ok()).toBe(true);
  }
}

test.describe('Endpoint monitoring (local backend)', () => {
  test.use({ viewport: { width: 1440, height: 1100 } });

  test.afterAll(async ({ request }) => {
    await removeExperiment(request, NAME);
    await request.delete(`/api/contents/${DATA}`);
  });

  test('capture, drift report with violations, a histogram, and settings', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(6 * 60 * 1000);
    const autopilot = new Autopilot(page);

    await test.step('train a small experiment on generated data (API)', async () => {
      const put = await request.put(`/api/contents/${DATA}`, {
        data: { type: 'file', format: 'text', content: trainingCsv() }
      });
      expect(put.ok()).toBe(true);
      const created = await request.post('/autopilot/api/experiments', {
        data: {
          name: NAME,
          input_uri: DATA,
          target: 'y',
          max_candidates: 2,
          max_job_runtime_seconds: 60
        }
      });
      expect(created.status()).toBe(201);
      await waitForExperiment(request, NAME, 180_000);
    });

    const endpointName =
      await test.step('deploy from the dialog with data capture on', async () => {
        const experiment = await autopilot.openExperiment(NAME);
        await expect(experiment.badge).toHaveText('Completed', {
          timeout: 30_000
        });
        await experiment.button('Deploy').click();
        const dialog = autopilot.dialog;
        await expect(
          dialog.getByText(`Deploy a model from ${NAME}`)
        ).toBeVisible();
        const sampling = dialog.getByLabel('Sampling (%)');
        await expect(sampling).toBeDisabled();
        await dialog
          .getByRole('checkbox', { name: 'Capture data for monitoring' })
          .check();
        await expect(sampling).toBeEnabled();
        await expect(sampling).toHaveValue('100');
        const name = await dialog.getByLabel('Endpoint name').inputValue();
        await dialog.getByRole('button', { name: 'Deploy' }).click();
        const progress = page.locator('.jp-Dialog', {
          hasText: `Deploying ${name}`
        });
        await expect(
          progress.getByText('In service.', { exact: false })
        ).toBeVisible({ timeout: 120_000 });
        await progress.getByRole('button', { name: 'Open endpoint' }).click();
        const endpoint = await (
          await request.get(`/autopilot/api/endpoints/${name}`)
        ).json();
        expect(endpoint.data_capture).toEqual({
          enabled: true,
          sampling_percentage: 100
        });
        return name;
      });

    const view = autopilot.endpointPage(endpointName);
    const monitoring = view.root.locator('.jp-AutopilotMonitoring');

    await test.step('the endpoint view shows the capture settings', async () => {
      await expect(view.badge).toHaveText('In service');
      await expect(
        monitoring.getByRole('heading', { name: 'Monitoring', level: 3 })
      ).toBeVisible();
      await expect(
        monitoring.getByRole('checkbox', {
          name: 'Capture requests and predictions'
        })
      ).toBeChecked();
      await expect(monitoring.getByLabel('Sampling (%)')).toHaveValue('100');
      await expect(
        monitoring.getByRole('radio', { name: 'On demand only' })
      ).toBeChecked();
      await expect(
        monitoring.getByLabel('Schedule interval (minutes)')
      ).toBeDisabled();
      await expect(
        monitoring.getByRole('button', { name: 'Save' })
      ).toBeDisabled();
      await expect(
        monitoring.getByText('Nothing captured yet: send', { exact: false })
      ).toBeVisible();
      // Nothing to compare yet: the server's 409 message is shown as is.
      await monitoring
        .getByRole('button', { name: 'Run drift report' })
        .click();
      const alert = monitoring.getByRole('alert').filter({
        hasText: 'The drift report did not run.'
      });
      await expect(alert).toContainText(
        `Endpoint '${endpointName}' has no captured data in the last 24 hours`,
        { timeout: 60_000 }
      );
      await alert.getByRole('button', { name: 'Dismiss' }).click();
      await expect(alert).toHaveCount(0);
    });

    await test.step('send normal, then shifted requests (API)', async () => {
      const random = generator(7);
      await invoke(request, endpointName, normalRows(random, 100), 20);
      await invoke(request, endpointName, shiftedRows(random, 100), 20);
      await monitoring
        .getByRole('button', { name: 'Refresh monitoring' })
        .click();
      const captured = monitoring.getByRole('group', { name: 'Captured data' });
      await expect(captured).toContainText('10 requests · 200 rows', {
        timeout: 30_000
      });
      const recent = monitoring.getByRole('table', {
        name: 'Recent captured requests'
      });
      await expect(recent.locator('tbody tr')).toHaveCount(20);
      // Newest first: the shifted rows.
      await expect(recent.locator('tbody tr').first()).toContainText(
        'astronaut'
      );
      await expect(
        recent.getByRole('columnheader', { name: 'Predicted label' })
      ).toBeVisible();
    });

    await test.step('run a drift report from the view', async () => {
      await expect(monitoring.getByLabel('Window (hours)')).toHaveValue('24');
      await expect(
        monitoring.getByText('No drift report yet', { exact: false })
      ).toBeVisible();
      await monitoring
        .getByRole('button', { name: 'Run drift report' })
        .click();
      const reports = monitoring.getByRole('table', { name: 'Drift reports' });
      await expect(reports.locator('tbody tr')).toHaveCount(1, {
        timeout: 60_000
      });
      await expect(reports.locator('tbody tr').first()).toContainText(
        'On demand'
      );
      const report = monitoring.locator('.jp-AutopilotMonitoring-report');
      const features = report.getByRole('table', { name: 'Feature drift' });
      await expect(features).toBeVisible({ timeout: 30_000 });
      for (const name of ['age', 'job']) {
        await expect(
          features.locator(`tbody tr[data-feature="${name}"]`)
        ).toHaveAttribute('data-status', 'drift');
        await expect(
          features.locator(`tbody tr[data-feature="${name}"]`)
        ).toContainText('Drift');
      }
      // Drifted features come first.
      await expect(features.locator('tbody tr').nth(2)).toHaveAttribute(
        'data-feature',
        'balance'
      );
      await expect(
        report.locator('.jp-AutopilotMonitoring-summary')
      ).toContainText('2 of 3 features drifted');
      const violations = report.getByRole('list', {
        name: 'Constraint violations'
      });
      const unknown = violations.locator(
        'li[data-check="unknown_category"][data-feature="job"]'
      );
      await expect(unknown).toContainText('job · Unknown category');
      await expect(unknown).toContainText(
        'never appeared in the training data'
      );
      await expect(unknown).toContainText("'astronaut'");
      await expect(
        report.getByRole('heading', {
          name: 'Population stability index per feature'
        })
      ).toBeVisible();
      await expect(
        report.locator('.jp-Autopilot-chartCanvas svg').first()
      ).toBeVisible({ timeout: 30_000 });
    });

    await test.step('open a feature histogram', async () => {
      const report = monitoring.locator('.jp-AutopilotMonitoring-report');
      const features = report.getByRole('table', { name: 'Feature drift' });
      const job = features.getByRole('button', { name: 'job', exact: true });
      await job.focus();
      await page.keyboard.press('Enter');
      await expect(job).toHaveAttribute('aria-pressed', 'true');
      const histogram = report.locator('.jp-AutopilotMonitoring-histogram');
      await expect(histogram.getByRole('heading')).toContainText(
        'Distribution of job'
      );
      await expect(histogram.locator('svg').first()).toBeVisible({
        timeout: 30_000
      });
      // The unseen job falls in the "(other)" bin, empty in the training data.
      await expect(histogram.locator('svg').first()).toContainText('(other)');
      await report.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'monitoring', { docs: true });
    });

    await test.step('change the sampling and save', async () => {
      const sampling = monitoring.getByLabel('Sampling (%)');
      await sampling.fill('0');
      await expect(
        monitoring.getByText('Enter a whole percentage from 1 to 100.')
      ).toBeVisible();
      await expect(
        monitoring.getByRole('button', { name: 'Save' })
      ).toBeDisabled();
      await sampling.fill('50');
      await monitoring.getByRole('button', { name: 'Save' }).click();
      await expect(
        monitoring.getByText('Saved.', { exact: true })
      ).toBeVisible();
      await expect(
        monitoring.getByRole('group', { name: 'Captured data' })
      ).toContainText('On, 50% of requests');
      const status = await (
        await request.get(`/autopilot/api/endpoints/${endpointName}/monitoring`)
      ).json();
      expect(status.data_capture).toEqual({
        enabled: true,
        sampling_percentage: 50
      });
      expect(status.schedule_minutes).toBeNull();
      await monitoring.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'monitoring-settings');
    });

    await test.step('the section follows the dark theme', async () => {
      await page.theme.setDarkTheme();
      await expect(page.locator('body')).toHaveAttribute(
        'data-jp-theme-light',
        'false'
      );
      const report = monitoring.locator('.jp-AutopilotMonitoring-report');
      await expect(report.locator('svg').first()).toBeVisible();
      await report.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'monitoring-dark');
    });
  });
});
