/**
 * Run modes: a pilot run (candidate definitions only) and stopping a run midway.
 * Both train on the bank data with the real local backend.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

// The 4,000-row sample (jupyter_server_test_config.py): the panels are under test here.
const DATA = 'bank-additional/bank-4000.csv';

test.describe('Run modes', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, 'pilot-run');
    await removeExperiment(request, 'stopped-run');
  });

  test('a pilot run stops after the candidate definitions', async ({
    page
  }, testInfo) => {
    test.setTimeout(4 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.toSettings(DATA, 'y', 'pilot-run');
    await wizard.choosePilot();
    await wizard.next();
    await expect(
      wizard.root.getByRole('row', { name: /Run Pilot/ })
    ).toBeVisible();
    await wizard.create();

    const experiment = autopilot.experimentPage('pilot-run');
    await expect(experiment.heading).toBeVisible();
    await experiment.expectStageStatus('Pre-processing', 'done', 120_000);
    await experiment.expectStageStatus(
      'Candidate Definitions Generated',
      'done',
      120_000
    );
    await expect(experiment.badge).toHaveText('Completed', { timeout: 60_000 });
    await experiment.expectStageStatus(
      'Feature Engineering',
      /skipped|pending/
    );
    await experiment.expectStageStatus('Model Tuning', /skipped|pending/);
    await expect(experiment.statusLine).toContainText('Pilot run complete');
    await expect(
      experiment.root.getByText('A pilot run trains no models')
    ).toBeVisible();
    // No model, so nothing to deploy; the notebook to review is there.
    await expect(experiment.button('Deploy')).toHaveCount(0);
    await expect(
      experiment.button('Open candidate definitions notebook')
    ).toBeEnabled();
    await snap(page, testInfo, 'pilot-complete');
    // The sidebar labels it as a pilot run.
    await autopilot.openExperimentsPanel();
    const row = autopilot.experimentsList.getByRole('button', {
      name: 'Open experiment pilot-run (Completed, pilot run)'
    });
    await expect(row).toContainText('Pilot');
    await expect(row).toContainText('Definitions ready');
  });

  test('stop a run midway, keep its trials, then offer re-run', async ({
    page
  }, testInfo) => {
    test.setTimeout(4 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.toSettings(DATA, 'y', 'stopped-run');
    await wizard.setBudget({ maxCandidates: 100, maxJobRuntime: 600 });
    await wizard.next();
    await wizard.create();

    const experiment = autopilot.experimentPage('stopped-run');
    await experiment.expectStageStatus('Model Tuning', 'running', 120_000);
    await expect(experiment.stages.locator('.jp-mod-active')).toHaveCount(1);
    // The engine reports how far tuning is: a determinate bar.
    await expect(
      experiment.stages.getByRole('progressbar', {
        name: 'Model Tuning progress'
      })
    ).toHaveAttribute('aria-valuenow', /^\d+$/);
    await experiment.button('Stop').click();
    await expect(experiment.badge).toHaveText('Stopped', { timeout: 60_000 });
    await expect(experiment.statusLine).toContainText('Stopped');
    await expect(experiment.stages.locator('.jp-mod-active')).toHaveCount(0);
    await expect(experiment.button('Re-run')).toBeVisible();
    await expect(experiment.button('Stop')).toHaveCount(0);
    await snap(page, testInfo, 'stopped');

    // The leakage warning's action: exclude the column and start again.
    await expect(experiment.warnings).toContainText('duration');
    await experiment.warnings
      .getByRole('button', { name: 'Exclude duration and restart' })
      .click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Exclude and restart' })
      .click();
    await expect(experiment.badge).toHaveText(/Queued|In progress/, {
      timeout: 30_000
    });
    await expect(experiment.warnings).toHaveCount(0);
    await experiment.root.getByText('Settings and files').click();
    await expect(
      experiment.root.getByRole('definition').filter({ hasText: /^duration$/ })
    ).toBeVisible();
    await experiment.button('Stop').click();
    await expect(experiment.badge).toHaveText('Stopped', { timeout: 60_000 });
  });
});
