/**
 * Monitoring and production variants on the sagemaker backend (project `sagemaker`,
 * moto and the AutoML fake, see playwright.config.js): an experiment created through
 * the API on the uploaded bank data, two candidates deployed 50/50 from the deploy
 * dialog with data capture on (one model per candidate, one endpoint config with
 * weighted variants and a DataCaptureConfig), rows of the bank data sent through the
 * API (the fake routes each request to a variant by weight and writes SageMaker-format
 * capture files to S3), then the endpoint view: the variants side by side, the
 * captured requests synced from S3, a drift report run from the view against the
 * baseline profiled from the training data on S3 (no prediction drift on SageMaker:
 * there is no model here to predict the baseline's labels), and a variant promoted
 * (UpdateEndpointWeightsAndCapacities).
 *
 * Nothing is stubbed. Predictions come from moto's canned InvokeEndpoint answer; the
 * local specs (monitoring.spec.ts, variants.spec.ts) check real models' numbers. The
 * screenshot `sagemaker-monitoring` goes to docs/images/ with UPDATE_DOCS_IMAGES=1.
 */
import { expect, test } from '../helpers/fixtures';
import type { APIRequestContext } from '@playwright/test';

import { waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** AWS never frees AutoML job names: a fresh one per run (the server may be reused). */
const RUN = Date.now().toString(36);
const NAME = `sm-mon-${RUN}`;
const ENDPOINT = `${NAME}-ab`;
const DATA = 'bank-additional/bank-additional-full.csv';
const PREFIX = `sagemaker/${NAME}/input`;
/** The first 50 rows of DATA (`;`-separated, target included), under the root. */
const SAMPLE = 'bank-sample.csv';
const REQUESTS = 8;
const ROWS_PER_REQUEST = 5;

/** Delete what a failed run may have left (endpoints first: they cost by the hour). */
async function cleanUp(request: APIRequestContext, name: string) {
  const list = await request.get('/autopilot/api/endpoints');
  if (list.ok()) {
    for (const e of (await list.json()).endpoints) {
      if (e.experiment === name) {
        await request.delete(`/autopilot/api/endpoints/${e.name}`);
      }
    }
  }
  const found = await request.get(`/autopilot/api/experiments/${name}`);
  if (found.ok()) {
    await request.post(`/autopilot/api/experiments/${name}/cleanup`, {
      data: { include_outputs: true, delete_experiment: true }
    });
  }
}

/** The sample's rows as objects keyed by its header (quotes removed). */
async function sampleRows(
  request: APIRequestContext
): Promise<Array<Record<string, string>>> {
  const file = await request.get(`/api/contents/${SAMPLE}?format=text`);
  expect(file.ok()).toBe(true);
  const lines = ((await file.json()).content as string)
    .split('\n')
    .filter(line => line.trim());
  const cells = (line: string) =>
    line.split(';').map(cell => cell.trim().replace(/^"(.*)"$/, '$1'));
  const header = cells(lines[0]);
  return lines
    .slice(1)
    .map(line =>
      Object.fromEntries(cells(line).map((value, i) => [header[i], value]))
    );
}

test.describe('Monitoring and production variants (sagemaker backend on moto)', () => {
  test.use({ viewport: { width: 1440, height: 1100 } });

  test.afterAll(async ({ request }) => {
    await cleanUp(request, NAME);
  });

  test('deploy two variants with capture, send rows, drift report, promote', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(6 * 60 * 1000);
    const autopilot = new Autopilot(page);

    const { best, second } =
      await test.step('upload the bank data and run an experiment (API)', async () => {
        const uploaded = await request.post('/autopilot/api/datasets/upload', {
          data: { path: DATA, key_prefix: PREFIX }
        });
        expect(uploaded.ok()).toBe(true);
        const { uri } = await uploaded.json();
        const created = await request.post('/autopilot/api/experiments', {
          data: { name: NAME, input_uri: uri, target: 'y', max_candidates: 3 }
        });
        expect(created.status()).toBe(201);
        const experiment = await waitForExperiment(
          request,
          NAME,
          180_000,
          2000
        );
        const list = await (
          await request.get(`/autopilot/api/experiments/${NAME}/candidates`)
        ).json();
        // The dialog's default second variant: the best-ranked other candidate.
        const others = list.candidates
          .filter((c: any) => c.status === 'Completed' && !c.is_best)
          .sort((a: any, b: any) => (a.rank ?? 99) - (b.rank ?? 99));
        expect(others.length).toBeGreaterThan(0);
        expect(others[0].deployable).toBe(true);
        return {
          best: experiment.best_candidate.name as string,
          second: others[0].name as string
        };
      });

    await test.step('deploy two candidates 50/50 with capture from the dialog', async () => {
      const experiment = await autopilot.openExperiment(NAME);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      await experiment.button('Deploy').click();
      const dialog = autopilot.dialog;
      await expect(
        dialog.getByText(`Deploy a model from ${NAME}`)
      ).toBeVisible();
      await dialog
        .getByRole('checkbox', {
          name: 'Split traffic between candidates (A/B test)'
        })
        .check();
      const split = dialog.getByRole('table', { name: 'Traffic split' });
      await expect(split.locator('tbody tr')).toHaveCount(2);
      await expect(dialog.getByLabel('Candidate of variant 1')).toHaveValue(
        best
      );
      await expect(dialog.getByLabel('Candidate of variant 2')).toHaveValue(
        second
      );
      await expect(dialog.getByLabel('Weight of variant 1')).toHaveValue('50');
      await expect(dialog.getByLabel('Weight of variant 2')).toHaveValue('50');
      // Each variant gets its own instances of this type.
      await expect(dialog.getByLabel('Instance type')).toHaveValue(
        'ml.m5.large'
      );
      await dialog
        .getByRole('checkbox', { name: 'Capture data for monitoring' })
        .check();
      await expect(dialog.getByLabel('Sampling (%)')).toHaveValue('100');
      // SageMaker Serverless excludes both (its "feature exclusions"): off while chosen.
      await dialog.getByRole('radio', { name: /Serverless/ }).check();
      await expect(
        dialog.getByRole('checkbox', { name: /Capture data for monitoring/ })
      ).toBeDisabled();
      await expect(
        dialog.getByRole('checkbox', {
          name: /Split traffic between candidates/
        })
      ).toBeDisabled();
      await dialog.getByRole('radio', { name: 'Real-time instances' }).check();
      await expect(
        dialog.getByRole('checkbox', { name: 'Capture data for monitoring' })
      ).toBeChecked();
      await expect(split.locator('tbody tr')).toHaveCount(2);
      await dialog.getByLabel('Endpoint name').fill(ENDPOINT);
      await snap(page, testInfo, 'sagemaker-variants-dialog', {
        locator: dialog.locator('.jp-Dialog-content')
      });
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      const progress = page.locator('.jp-Dialog', {
        hasText: `Deploying ${ENDPOINT}`
      });
      await expect(progress).toContainText(
        `Production variants: variant-1 (${best}), variant-2 (${second})`
      );
      await expect(
        progress.getByText('In service.', { exact: false })
      ).toBeVisible({ timeout: 120_000 });
      await progress.getByRole('button', { name: 'Open endpoint' }).click();
      const endpoint = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
      ).json();
      expect(
        endpoint.variants.map((v: any) => [v.name, v.candidate, v.weight])
      ).toEqual([
        ['variant-1', best, 50],
        ['variant-2', second, 50]
      ]);
      expect(endpoint.data_capture).toEqual({
        enabled: true,
        sampling_percentage: 100
      });
    });

    const { counts: served, row } =
      await test.step(`send ${REQUESTS} requests of bank rows (API)`, async () => {
        const endpoint = await (
          await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
        ).json();
        const columns: string[] = endpoint.input_columns;
        expect(columns).toContain('age');
        expect(columns).not.toContain('y');
        const rows = (await sampleRows(request)).map(row =>
          Object.fromEntries(columns.map(c => [c, row[c]]))
        );
        const counts: Record<string, number> = {};
        for (let i = 0; i < REQUESTS; i++) {
          const response = await request.post(
            `/autopilot/api/endpoints/${ENDPOINT}/invocations`,
            {
              data: {
                instances: rows.slice(
                  i * ROWS_PER_REQUEST,
                  (i + 1) * ROWS_PER_REQUEST
                )
              }
            }
          );
          expect(response.ok()).toBe(true);
          const variant = response.headers()['x-autopilot-invoked-variant'];
          expect(['variant-1', 'variant-2']).toContain(variant);
          counts[variant] = (counts[variant] ?? 0) + 1;
        }
        testInfo.annotations.push({
          type: 'variants served',
          description: JSON.stringify(counts)
        });
        return { counts, row: rows[0] };
      });

    const view = autopilot.endpointPage(ENDPOINT);
    const variants = view.root.locator('.jp-AutopilotVariants');
    const table = variants.getByRole('table', { name: 'Production variants' });
    const monitoring = view.root.locator('.jp-AutopilotMonitoring');

    await test.step('the view lists both variants and their invocations', async () => {
      await expect(view.badge).toHaveText('In service');
      await view.root.getByRole('button', { name: 'Refresh' }).first().click();
      for (const [name, candidate] of [
        ['variant-1', best],
        ['variant-2', second]
      ]) {
        const row = table.locator(`tbody tr[data-variant="${name}"]`);
        await expect(row).toContainText(candidate);
        await expect(row.getByTestId('traffic-share')).toHaveText('50%');
        await expect(row.getByTestId('invocations')).toContainText(
          String(served[name] ?? 0),
          { timeout: 30_000 }
        );
      }
      await expect(
        variants.getByRole('table', {
          name: 'Validation metrics of the variants'
        })
      ).toBeVisible();
      await variants.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'sagemaker-variants');
    });

    await test.step('the monitoring section counts the captured requests', async () => {
      await expect(
        monitoring.getByRole('heading', { name: 'Monitoring', level: 3 })
      ).toBeVisible();
      await expect(
        monitoring.getByRole('checkbox', {
          name: 'Capture requests and predictions'
        })
      ).toBeChecked();
      await expect(monitoring.getByLabel('Sampling (%)')).toHaveValue('100');
      await monitoring
        .getByRole('button', { name: 'Refresh monitoring' })
        .click();
      const captured = monitoring.getByRole('group', { name: 'Captured data' });
      await expect(captured).toContainText(
        `${REQUESTS} requests · ${REQUESTS * ROWS_PER_REQUEST} rows`,
        { timeout: 30_000 }
      );
      const recent = monitoring.getByRole('table', {
        name: 'Recent captured requests'
      });
      await expect(recent.locator('tbody tr')).toHaveCount(20);
      await expect(
        recent.getByRole('columnheader', { name: 'age', exact: true })
      ).toBeVisible();
      await monitoring.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'sagemaker-captures');
    });

    await test.step('run a drift report from the view', async () => {
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
      // The report the view shows is the one the API has.
      const status = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}/monitoring`)
      ).json();
      expect(status.reports).toHaveLength(1);
      expect(status.baseline.source).toMatch(/^s3:\/\//);
      const detail = await (
        await request.get(
          `/autopilot/api/endpoints/${ENDPOINT}/monitoring/reports/${status.reports[0].id}`
        )
      ).json();
      expect(detail.rows).toBe(REQUESTS * ROWS_PER_REQUEST);
      // No prediction drift on SageMaker: the view says why instead of breaking.
      expect(detail.prediction).toBeNull();
      await expect(features.locator('tbody tr')).toHaveCount(
        detail.features.length
      );
      for (const f of detail.features) {
        await expect(
          features.locator(`tbody tr[data-feature="${f.feature}"]`)
        ).toHaveAttribute('data-status', f.status);
      }
      await expect(
        report.getByText(
          'Prediction drift is not computed for SageMaker endpoints',
          { exact: false }
        )
      ).toBeVisible();
      await expect(
        report.getByText('No predictions were captured in this window.')
      ).toHaveCount(0);
      await expect(
        report.locator('.jp-Autopilot-chartCanvas svg').first()
      ).toBeVisible({ timeout: 30_000 });
      await expect(report.getByRole('alert')).toHaveCount(0);
      await report.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'sagemaker-monitoring', { docs: true });
    });

    await test.step('promote variant-2 from the view', async () => {
      await variants.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await variants.getByRole('button', { name: 'Promote variant-2' }).click();
      const confirm = autopilot.dialog;
      await expect(confirm.getByText('Promote variant-2?')).toBeVisible();
      await confirm.getByRole('button', { name: 'Promote' }).click();
      await expect(confirm).toHaveCount(0);
      // The answer or an error: a failure then says which (it once timed out on the
      // message alone, with nothing to tell why).
      const promoted = variants.getByText(
        'variant-2 now gets all the traffic.'
      );
      await expect(promoted.or(variants.getByRole('alert'))).toBeVisible({
        timeout: 30_000
      });
      await expect(variants.getByRole('alert')).toHaveCount(0);
      await expect(promoted).toBeVisible();
      const row2 = table.locator('tbody tr[data-variant="variant-2"]');
      await expect(row2.getByTestId('traffic-share')).toHaveText('100%');
      await expect(
        variants.getByRole('button', { name: 'Promote variant-2' })
      ).toBeDisabled();
      const endpoint = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
      ).json();
      const shares = Object.fromEntries(
        endpoint.variants.map((v: any) => [v.name, v.traffic_share])
      );
      expect(shares).toEqual({ 'variant-1': 0, 'variant-2': 1 });
      // SageMaker now routes every request to variant-2.
      const response = await request.post(
        `/autopilot/api/endpoints/${ENDPOINT}/invocations`,
        { data: { instances: [row] } }
      );
      expect(response.ok()).toBe(true);
      expect(response.headers()['x-autopilot-invoked-variant']).toBe(
        'variant-2'
      );
    });
  });
});
