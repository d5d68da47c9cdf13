/**
 * The sidebar panels: empty state, the list with filter and sort, keyboard use.
 */
import { expect, test } from '../helpers/fixtures';

import {
  fixture,
  routeApi,
  stubCannedExperiment,
  summaryOf
} from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

test.describe('Sidebar panels', () => {
  // Each test stubs routes, then starts the app once with them in place (page.goto()),
  // instead of a load before the stubs and a reload after.
  test.use({ startApp: false });

  test('the empty state explains the first step (stubbed empty list)', async ({
    page
  }, testInfo) => {
    // STUB: a server without experiments.
    await routeApi(page, 'experiments', route =>
      route.request().method() === 'GET'
        ? route.fulfill({ json: { experiments: [], total: 0 } })
        : route.fallback()
    );
    // Start the app with the stubs in place.
    await page.goto();
    const autopilot = new Autopilot(page);
    await autopilot.openExperimentsPanel();
    await expect(
      autopilot.experimentsPanel.getByText('No experiments yet')
    ).toBeVisible();
    await expect(
      autopilot.experimentsPanel.getByText(
        'Click "Create experiment" and choose the CSV file.'
      )
    ).toBeVisible();
    await expect(
      autopilot.experimentsPanel.getByText(/right-click a CSV file/)
    ).toBeVisible();
    await expect(
      autopilot.experimentsPanel.getByText('Local', { exact: true })
    ).toBeVisible();
    await snap(page, testInfo, 'empty-state', {
      locator: autopilot.experimentsPanel
    });
  });

  test('the list shows status, stage, objective and time; filter and sort', async ({
    page
  }, testInfo) => {
    // STUB: four experiments in different states (one a pilot run).
    const base = fixture('experiment');
    const running = {
      ...summaryOf(base),
      name: 'running-one',
      status: 'InProgress',
      best_candidate: null,
      created_at: new Date().toISOString(),
      stages: base.stages.map((s: any) =>
        s.name === 'model_tuning'
          ? { ...s, status: 'running', ended_at: null }
          : s
      )
    };
    const failed = {
      ...summaryOf(base),
      name: 'failed-one',
      status: 'Failed',
      best_candidate: null,
      failure_reason: 'Out of memory.',
      created_at: new Date(Date.now() - 3600 * 1000).toISOString()
    };
    const pilot = {
      ...summaryOf(base),
      name: 'pilot-one',
      mode: 'pilot',
      best_candidate: null,
      candidates_completed: 0,
      created_at: new Date(Date.now() - 2 * 3600 * 1000).toISOString()
    };
    await stubCannedExperiment(page, { others: [running, failed, pilot] });
    // Start the app with the stubs in place.
    await page.goto();
    const autopilot = new Autopilot(page);
    await autopilot.openExperimentsPanel();
    const list = autopilot.experimentsList;
    await expect(list.getByRole('listitem')).toHaveCount(4);
    // Newest first by default.
    await expect(list.getByRole('listitem').first()).toContainText(
      'running-one'
    );
    await expect(list.getByRole('listitem').first()).toContainText(
      'Model Tuning'
    );
    await expect(
      list.getByRole('button', { name: /canned-experiment/ })
    ).toContainText('F1 0.6667');
    await expect(
      list.getByRole('button', {
        name: 'Open experiment pilot-one (Completed, pilot run)'
      })
    ).toContainText('Pilot');
    await snap(page, testInfo, 'experiments-list', {
      docs: true,
      locator: autopilot.experimentsPanel
    });

    await autopilot.experimentsPanel
      .getByLabel('Sort experiments')
      .selectOption('name:asc');
    await expect(list.getByRole('listitem').first()).toContainText(
      'canned-experiment'
    );
    await autopilot.experimentsPanel
      .getByLabel('Status filter')
      .selectOption('Failed');
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list.getByRole('listitem')).toContainText('failed-one');
    await autopilot.experimentsPanel
      .getByLabel('Status filter')
      .selectOption('');
    await autopilot.experimentsPanel
      .getByLabel('Filter experiments by name')
      .fill('nothing-matches');
    await expect(
      autopilot.experimentsPanel.getByText('No experiment matches the filter.')
    ).toBeVisible();
    await autopilot.experimentsPanel
      .getByRole('button', { name: 'Clear filter' })
      .click();
    await expect(list.getByRole('listitem')).toHaveCount(4);

    // Keyboard: focus an experiment and open it with Enter.
    await list.getByRole('button', { name: /canned-experiment/ }).focus();
    await page.keyboard.press('Enter');
    await expect(
      autopilot.experimentPage('canned-experiment').heading
    ).toBeVisible();
  });

  test('the leaderboard sorts by any metric from the keyboard', async ({
    page
  }) => {
    await stubCannedExperiment(page);
    // Start the app with the stubs in place.
    await page.goto();
    const autopilot = new Autopilot(page);
    const experiment = await autopilot.openExperiment('canned-experiment');
    await expect(experiment.trials).toHaveCount(5);
    await expect(experiment.trials.first()).toContainText('ensemble-t005');
    const logloss = experiment.leaderboard.getByRole('button', {
      name: 'LogLoss'
    });
    await logloss.focus();
    await page.keyboard.press('Enter');
    // LogLoss is minimised: best (smallest) first.
    await expect(
      experiment.leaderboard.getByRole('columnheader', { name: /LogLoss/ })
    ).toHaveAttribute('aria-sort', 'ascending');
    const column = await experiment.leaderboard
      .locator('thead th')
      .evaluateAll(cells =>
        cells.findIndex(cell => (cell.textContent ?? '').startsWith('LogLoss'))
      );
    const values = await experiment.trials.evaluateAll(
      (rows, i) =>
        rows.map(row => Number(row.children[i as number].textContent)),
      column
    );
    expect(values).toHaveLength(5);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // Choosing another trial shows its details.
    await experiment.leaderboard
      .getByRole('button', { name: 'xgboost-trees-t003' })
      .click();
    await expect(
      experiment.leaderboard.getByRole('button', { name: 'xgboost-trees-t003' })
    ).toHaveAttribute('aria-pressed', 'true');
  });
});
