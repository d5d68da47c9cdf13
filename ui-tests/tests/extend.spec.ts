/**
 * Continue a finished local experiment from its view: the Continue dialog adds
 * candidates, the search goes on after the kept trials, and the history under the
 * stages says what was added. Also the wizard's Reproducible checkbox. Real training
 * on the bank data with a small budget.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment, waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

// The 4,000-row sample (jupyter_server_test_config.py): the panels are under test here.
const DATA = 'bank-additional/bank-4000.csv';
const NAME = 'continued-run';

test.describe('Continue an experiment', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, NAME);
  });

  test('continue a finished experiment with two more candidates', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(6 * 60 * 1000);
    await removeExperiment(request, NAME);
    const created = await request.post('/autopilot/api/experiments', {
      data: {
        name: NAME,
        input_uri: DATA,
        target: 'y',
        max_candidates: 2,
        max_job_runtime_seconds: 120,
        training_mode: 'hyperparameter_tuning'
      }
    });
    expect(created.status()).toBe(201);
    await waitForExperiment(request, NAME, 240_000);

    const autopilot = new Autopilot(page);
    const experiment = await autopilot.openExperiment(NAME);
    await expect(experiment.badge).toHaveText('Completed');
    await expect(experiment.trials).toHaveCount(2);
    await experiment.button('Continue').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.getByText(`Continue ${NAME}`)).toBeVisible();
    await dialog.getByLabel('More candidates').fill('2');
    await snap(page, testInfo, 'extend-dialog', {
      docs: true,
      locator: dialog.locator('.jp-Dialog-content')
    });
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await expect(experiment.badge).toHaveText(/Queued|In progress/, {
      timeout: 30_000
    });
    await expect(experiment.badge).toHaveText('Completed', {
      timeout: 240_000
    });
    // The two first trials are kept; numbering continues with t003 and t004.
    await expect(experiment.trials).toHaveCount(4, { timeout: 30_000 });
    for (const number of ['t001', 't002', 't003', 't004']) {
      await expect(
        experiment.leaderboard.getByText(new RegExp(`-${number}$`))
      ).toHaveCount(1);
    }
    const history = experiment.root.getByRole('list', {
      name: 'Search continued'
    });
    await expect(history).toContainText(
      'Continued after 2 trials with 2 more candidates'
    );
    await expect(experiment.button('Continue')).toBeEnabled();
    await snap(page, testInfo, 'extended-experiment', {
      docs: true,
      locator: experiment.root.locator('.jp-Autopilot-section', {
        has: page.getByRole('list', { name: 'Stages' })
      })
    });
  });

  test('the wizard asks for a candidate count in reproducible mode', async ({
    page
  }, testInfo) => {
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.toSettings(DATA, 'y', 'same-twice');
    const reproducible = wizard.root.getByRole('checkbox', {
      name: /Reproducible/
    });
    await reproducible.check();
    await wizard.next();
    await expect(wizard.fieldError('Max candidates')).toContainText(
      'Reproducible mode is bounded by the number of candidates'
    );
    await wizard.setBudget({ maxCandidates: 5 });
    await wizard.next();
    await expect(
      wizard.root.getByRole('row', { name: /Reproducible yes/ })
    ).toBeVisible();
    await snap(page, testInfo, 'reproducible-review', { locator: wizard.root });
  });
});
