/**
 * Time-series forecasting from the wizard (issue #19, slice 3): the problem type shows the
 * forecast section instead of the column table; the series preview checks the fields
 * (its errors block Create, a server 400 shows under its field) and draws the items;
 * the settings hide the tabular-only options; the review lists the forecast; the
 * experiment completes with a leaderboard of backtested candidates ranked by Average wQL;
 * the deployed forecaster asks for the promo's future values, which the user edits and
 * forecasts again (what-if) to see the forecast move. Real training on the generated
 * monthly sales of three stores with a promo column (forecast/monthly-promo.csv, seeded by
 * jupyter_server_test_config.py).
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const NAME = 'sales-forecast-ui';

test.describe('Forecasting', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, NAME);
  });

  test('create a forecasting experiment from the wizard and see its leaderboard', async ({
    page
  }, testInfo) => {
    test.setTimeout(8 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.chooseFile('forecast/monthly-promo.csv');
    await expect(wizard.previewTable).toBeVisible();
    await wizard.next();
    await wizard.pickTarget('sales');
    await wizard.root
      .getByLabel('Problem type')
      .selectOption({ label: 'Time-series forecasting' });

    const forecast = wizard.root.getByRole('group', { name: 'Forecast' });
    await expect(forecast).toBeVisible();
    // Columns play roles in a forecast: no feature table.
    await expect(
      wizard.root.getByRole('checkbox', { name: 'Use column store' })
    ).toHaveCount(0);

    await test.step('the fields are checked inline', async () => {
      await wizard.next();
      await expect(wizard.stepTitle).toHaveText(
        'Step 2 of 4: Target and columns'
      );
      await expect(wizard.fieldError('Timestamp column')).toHaveText(
        'Choose the column of dates or times.'
      );
      await expect(wizard.fieldError('Forecast horizon (steps)')).toHaveText(
        'Enter how many steps to forecast (e.g. 14).'
      );
      await forecast.getByLabel('Quantiles').fill('p10, p50, p100');
      await expect(wizard.fieldError('Quantiles')).toHaveText(
        'Quantiles are whole percents p1 to p99 (not p100), e.g. p10, p50, p90.'
      );
      await forecast.getByLabel('Quantiles').fill('p10, p50, p90');
      await expect(wizard.fieldError('Quantiles')).toHaveText('');
    });

    const series = forecast.getByRole('region', { name: 'Series preview' });
    await test.step('the series preview says what the data allows', async () => {
      await forecast.getByLabel('Timestamp column').selectOption('date');
      await forecast
        .getByRole('group', { name: 'Item-id columns (optional)' })
        .getByRole('checkbox', { name: 'store' })
        .check();
      await forecast
        .getByRole('group', { name: 'Related columns (optional)' })
        .getByRole('checkbox', { name: 'promo' })
        .check();
      // Longer than the series: the checks refuse it, and Create would too.
      await forecast.getByLabel('Forecast horizon (steps)').fill('60');
      await expect(
        series.getByRole('list', { name: 'Fix before creating:' })
      ).toContainText('too short');
      await forecast.getByLabel('Forecast horizon (steps)').fill('6');
      await expect(series).toContainText(
        '3 items (3 long enough for the horizon and backtest windows); frequency MS (detected), season of 12 periods.'
      );
      await expect(
        series.getByRole('list', { name: 'Fix before creating:' })
      ).toHaveCount(0);
      await expect(forecast.getByText('Detected: MS')).toBeVisible();
      // One small chart per store.
      await expect(series.locator('svg').first()).toBeVisible();
      await expect(series.locator('svg')).toContainText('s2');
    });

    await test.step("the server's 400 shows under its field", async () => {
      await forecast.getByLabel('Frequency').fill('QQ');
      await expect(wizard.fieldError('Frequency')).toContainText(
        'is not a frequency'
      );
      await forecast.getByLabel('Frequency').fill('');
      await expect(wizard.fieldError('Frequency')).toHaveText('');
      await expect(series).toContainText('frequency MS (detected)');
    });

    await test.step('a holiday calendar: checked, then kept', async () => {
      // Two letters but no calendar: the series checks say so before Create.
      await forecast.getByLabel('Holiday calendar').fill('ZZ');
      await expect(
        series.getByRole('list', { name: 'Fix before creating:' })
      ).toContainText("no public holiday calendar for the country code 'ZZ'");
      await forecast.getByLabel('Holiday calendar').fill('us');
      await expect(
        series.getByRole('list', { name: 'Fix before creating:' })
      ).toHaveCount(0);
    });
    await snap(page, testInfo, 'forecast-wizard', {
      docs: true,
      locator: wizard.root
    });

    await wizard.next();
    await wizard.setName(NAME);
    await wizard.setBudget({ maxJobRuntime: 120 });
    // Tabular-only settings are hidden for a forecast.
    await expect(
      wizard.root.getByRole('group', { name: 'Validation data' })
    ).toHaveCount(0);
    await expect(wizard.root.getByLabel('Sample weight column')).toHaveCount(0);
    await wizard.next();

    await expect(
      wizard.root.getByRole('row', {
        name: /Problem type Time-series forecasting/
      })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Timestamp date/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Item ids store/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Frequency detected \(MS\)/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Horizon 6/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Related columns promo/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Holiday calendar US/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', { name: /^Validation fraction/ })
    ).toHaveCount(0);
    await snap(page, testInfo, 'forecast-review', { locator: wizard.root });
    await wizard.create();

    const experiment = autopilot.experimentPage(NAME);
    await expect(experiment.heading).toBeVisible();
    await expect(experiment.badge).toHaveText('Completed', {
      timeout: 5 * 60_000
    });
    await expect(experiment.leaderboard).toBeVisible();
    await expect(experiment.trials.first()).toContainText(/\d/);
    expect(await experiment.trials.count()).toBeGreaterThanOrEqual(3);
    await expect(experiment.leaderboard).toContainText('SeasonalNaive');
    // The per-quantile losses sort like Average wQL: best (smallest) first.
    const quantileLoss = experiment.leaderboard.getByRole('columnheader', {
      name: 'wQL[0.1]'
    });
    await quantileLoss.getByRole('button').click();
    await expect(quantileLoss).toHaveAttribute('aria-sort', 'ascending');
    await expect(experiment.root.getByRole('alert')).toHaveCount(0);
    // The settings list the forecast, not tabular settings it does not use.
    await experiment.root.getByText('Settings and files').click();
    await expect(
      experiment.root.getByRole('term').filter({ hasText: /^Horizon$/ })
    ).toBeVisible();
    await expect(
      experiment.root.getByRole('term').filter({
        hasText: /^Validation fraction$/
      })
    ).toHaveCount(0);
    await snap(page, testInfo, 'forecast-leaderboard', {
      docs: true,
      locator: experiment.root
    });

    await test.step('deploy the forecaster and forecast a store', async () => {
      const endpointName = await experiment.deployBest();
      await page
        .locator('.jp-Dialog')
        .getByRole('button', { name: 'Open endpoint' })
        .click();
      const endpoint = autopilot.endpointPage(endpointName);
      await expect(endpoint.badge).toHaveText('In service');
      // Items, not rows: the forecaster's own form.
      const items = endpoint.root.getByLabel('Items to forecast');
      await expect(items).toBeVisible();
      await expect(
        endpoint.root.getByRole('button', { name: 'Predict', exact: true })
      ).toHaveCount(0);
      await items.fill('s1');
      const forecastButton = endpoint.root.getByRole('button', {
        name: 'Forecast',
        exact: true
      });
      // The promo's future values come first: proposed at the store's last value.
      await expect(forecastButton).toBeDisabled();
      await endpoint.root
        .getByRole('button', { name: 'Load future values' })
        .click();
      const future = endpoint.root.getByRole('table', {
        name: 'Future values'
      });
      // The "Every step" row, then the horizon's six months.
      await expect(future.locator('tbody tr')).toHaveCount(7);
      const firstPromo = future.getByLabel(
        'promo of s1 at 2022-01-01T00:00:00'
      );
      await expect(firstPromo).toHaveValue(/^[01]$/);
      // Not a number: said, and Forecast waits for a fix.
      await firstPromo.fill('lots');
      await expect(
        endpoint.root.getByText(
          'Enter a number for promo of s1 at 2022-01-01T00:00:00.'
        )
      ).toBeVisible();
      await expect(forecastButton).toBeDisabled();
      await future.getByLabel('promo at every step').fill('0');
      await expect(firstPromo).toHaveValue('0');
      await forecastButton.click();
      const table = endpoint.root.getByRole('table', { name: 'Forecasts' });
      // The horizon's six months for s1, after the data's last month (2021-12).
      await expect(table.locator('tbody tr')).toHaveCount(6);
      await expect(table.locator('tbody tr').first()).toContainText(
        /s1\s*2022-01-01/
      );
      await expect(
        table.getByRole('columnheader', { name: 'p90' })
      ).toBeVisible();
      await expect(
        endpoint.root.locator('.jp-AutopilotForecast-chart svg')
      ).toBeVisible();
      await snap(page, testInfo, 'forecast-endpoint', {
        docs: true,
        locator: endpoint.root
      });

      // What-if: a promo every month, and the forecast moves up against the last one.
      const before = await table.locator('tbody tr').first().innerText();
      await future.getByLabel('promo at every step').fill('1');
      await forecastButton.click();
      await expect(
        endpoint.root.getByRole('status').filter({
          hasText:
            'Against the previous forecast: the mean of 6 steps moved by +'
        })
      ).toBeVisible();
      await expect(table.locator('tbody tr').first()).not.toHaveText(before);
      await endpoint.root
        .locator('.jp-AutopilotForecast-chart')
        .scrollIntoViewIfNeeded();
      await snap(page, testInfo, 'forecast-what-if', {
        docs: true,
        locator: endpoint.root
      });
    });
  });
});
