/**
 * Forecasting on the sagemaker backend (issue #19), by clicking, against moto and the
 * AutoML fake (project `sagemaker`, port 8889): the monthly sales go to S3, the wizard
 * asks for what Autopilot needs (an item-id column; no backtest windows to choose), the
 * series preview reads the S3 object's head, and the TimeSeriesForecasting job's stages,
 * leaderboard of backtested forecasters and backtest results show in the same views;
 * the best forecaster is deployed and forecasts an item in the endpoint's Predict
 * section (the server sends the item's history from the S3 data, as Autopilot's endpoint
 * needs). Nothing is stubbed; every request is checked against botocore's model by the
 * fake.
 */
import { expect, test } from '../helpers/fixtures';

import { Autopilot, snap } from '../helpers/autopilot';

/** AWS never frees AutoML job names: a fresh one per run (the server may be reused). */
const NAME = `sales-fc-${Date.now().toString(36)}`;
const DATA = 'forecast/monthly-sales.csv';
const PREFIX = 'forecast/input';
const BUCKET = 'sagemaker-us-east-1-123456789012';
const S3_URI = `s3://${BUCKET}/${PREFIX}/monthly-sales.csv`;

test.describe('Forecasting on the sagemaker backend (moto and the AutoML fake)', () => {
  test.afterAll(async ({ request }) => {
    const found = await request.get(`/autopilot/api/experiments/${NAME}`);
    if (found.ok()) {
      await request.post(`/autopilot/api/experiments/${NAME}/cleanup`, {
        data: { include_outputs: true, delete_experiment: true }
      });
    }
  });

  test('a TimeSeriesForecasting job from the wizard, its forecasters and backtest', async ({
    page
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();

    await test.step('upload the monthly sales to S3', async () => {
      await expect(wizard.root.getByText('SageMaker backend')).toBeVisible();
      await wizard.root.getByLabel('File to upload').fill(DATA);
      await wizard.root.getByLabel('Key prefix').fill(PREFIX);
      await wizard.root.getByRole('button', { name: 'Upload to S3' }).click();
      await expect(
        wizard.root.getByLabel('S3 location of the training data')
      ).toHaveValue(S3_URI, { timeout: 60_000 });
      await expect(
        wizard.root.getByRole('table', { name: `First 10 rows of ${S3_URI}` })
      ).toBeVisible({ timeout: 30_000 });
    });

    const forecast = wizard.root.getByRole('group', { name: 'Forecast' });
    await test.step('the forecast section asks for what Autopilot needs', async () => {
      await wizard.next();
      await wizard.pickTarget('sales');
      await wizard.root
        .getByLabel('Problem type')
        .selectOption({ label: 'Time-series forecasting' });
      await expect(forecast).toBeVisible();
      // Autopilot chooses its own backtest windows.
      await expect(forecast.getByLabel('Backtest windows')).toHaveCount(0);
      await forecast.getByLabel('Timestamp column').selectOption('date');
      await forecast.getByLabel('Forecast horizon (steps)').fill('6');
      await wizard.next();
      const items = forecast.getByRole('group', { name: 'Item-id columns' });
      const needed = 'SageMaker Autopilot needs an item-id column';
      await expect(items).toContainText(needed);
      await items.getByRole('checkbox', { name: 'store' }).check();
      await expect(items).not.toContainText(needed);
      // The series checks ran on the head of the S3 object.
      const series = forecast.getByRole('region', { name: 'Series preview' });
      await expect(series).toContainText('frequency MS (detected)', {
        timeout: 30_000
      });
      await expect(forecast.getByText('Detected: MS')).toBeVisible();
      await snap(page, testInfo, 'sagemaker-forecast-wizard', {
        locator: wizard.root
      });
    });

    await test.step('name it and create', async () => {
      await wizard.next();
      await wizard.setName(NAME);
      await wizard.next();
      await expect(
        wizard.root.getByRole('row', {
          name: /Problem type Time-series forecasting/
        })
      ).toBeVisible();
      await expect(
        wizard.root.getByRole('row', { name: /^Frequency detected \(MS\)/ })
      ).toBeVisible();
      await wizard.create();
    });

    const experiment = autopilot.experimentPage(NAME);
    await test.step('the stages, the forecasters and the backtest results', async () => {
      await expect(experiment.heading).toBeVisible({ timeout: 30_000 });
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 120_000
      });
      await experiment.expectStageStatus('Pre-processing', 'done');
      await experiment.expectStageStatus('Model Tuning', 'done');
      // Six algorithms and their ensemble, best (smallest Average wQL) first.
      await expect(experiment.trials).toHaveCount(7, { timeout: 30_000 });
      await expect(experiment.trials.first()).toContainText('Best');
      await expect(experiment.trials.first()).toContainText('ensemble');
      await expect(experiment.leaderboard).toContainText('deepar');
      await expect(
        experiment.leaderboard.getByRole('columnheader', { name: 'WAPE' })
      ).toBeVisible();
      await expect(experiment.root.getByRole('alert')).toHaveCount(0);
      // The notebook a forecasting job never writes is not offered.
      await expect(
        experiment.root.getByRole('button', {
          name: 'Open candidate definitions notebook'
        })
      ).toHaveCount(0);
      await experiment.root.getByText('Settings and files').click();
      await expect(
        experiment.root.getByRole('term').filter({ hasText: /^Horizon$/ })
      ).toBeVisible();
      await expect(experiment.root.getByText('Backtest results')).toBeVisible({
        timeout: 30_000
      });
      await snap(page, testInfo, 'sagemaker-forecast-leaderboard', {
        locator: experiment.root
      });
    });

    await test.step('deploy the best forecaster and forecast a store', async () => {
      await experiment.button('Deploy').click();
      const dialog = page.locator('.jp-Dialog');
      await expect(
        dialog.getByText(`Deploy a model from ${NAME}`)
      ).toBeVisible();
      // Clarify has no explainer for a forecaster: not offered.
      await expect(dialog.getByText('Explain predictions')).toHaveCount(0);
      await page
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Cancel' })
        .click();
      const endpointName = await experiment.deployBest();
      await page
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Open endpoint' })
        .click();
      const endpoint = autopilot.endpointPage(endpointName);
      await expect(endpoint.badge).toHaveText('In service', {
        timeout: 30_000
      });
      const items = endpoint.root.getByLabel('Items to forecast');
      await expect(items).toBeVisible();
      await items.fill('s1');
      await endpoint.root
        .getByRole('button', { name: 'Forecast', exact: true })
        .click();
      const table = endpoint.root.getByRole('table', { name: 'Forecasts' });
      // The horizon's six months for s1, after the data's last month (2021-12).
      await expect(table.locator('tbody tr')).toHaveCount(6, {
        timeout: 30_000
      });
      await expect(table.locator('tbody tr').first()).toContainText(
        /s1\s*2022-01-01/
      );
      await expect(
        table.getByRole('columnheader', { name: 'p90' })
      ).toBeVisible();
      await expect(
        endpoint.root.locator('.jp-AutopilotForecast-chart svg')
      ).toBeVisible();
      await expect(endpoint.root.getByRole('alert')).toHaveCount(0);
      await snap(page, testInfo, 'sagemaker-forecast-endpoint', {
        locator: endpoint.root
      });
    });
  });
});
