/**
 * Sample weights and algorithm choice: the wizard's advanced section offers the weight
 * column and the algorithm families; the review step and the finished experiment's
 * settings show both. Real training on the bank data's 4,000-row sample (its `campaign`
 * column, the number of contacts, as row weights) with a small budget: what is under test
 * is the wizard and the settings, not the data's size.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const DATA = 'bank-additional/bank-4000.csv';

test.describe('Sample weights and algorithm choice', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, 'weighted-run');
  });

  test('create with weights and two algorithms, see them in the experiment', async ({
    page
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.toSettings(DATA, 'y', 'weighted-run');
    await wizard.setBudget({ maxCandidates: 3, maxJobRuntime: 90 });
    const weight = wizard.root.getByLabel('Sample weight column');
    await expect(weight).toHaveValue('');
    // Only numeric columns are offered; the target never is.
    await expect(weight.locator('option', { hasText: 'job' })).toHaveCount(0);
    await expect(weight.locator('option', { hasText: /^y$/ })).toHaveCount(0);
    await weight.selectOption('campaign');
    const algorithms = wizard.root.getByRole('group', {
      name: 'Algorithms (none checked: all)'
    });
    // The local backend offers the families it runs: the perceptron (mlp) but
    // not the deep-learning frameworks.
    await expect(algorithms.getByRole('checkbox')).toHaveCount(7);
    await expect(
      algorithms.getByRole('checkbox', { name: 'mlp' })
    ).toBeVisible();
    await expect(
      algorithms.getByRole('checkbox', { name: 'nn-torch' })
    ).toHaveCount(0);
    await algorithms.getByRole('checkbox', { name: 'lightgbm' }).check();
    await algorithms.getByRole('checkbox', { name: 'linear-learner' }).check();
    await snap(page, testInfo, 'algorithm-choice', {
      docs: true,
      locator: wizard.root.getByRole('group', { name: 'Advanced (optional)' })
    });
    await wizard.next();
    await expect(
      wizard.root.getByRole('row', { name: /Sample weights campaign/ })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('row', {
        name: /Algorithms lightgbm, linear-learner/
      })
    ).toBeVisible();
    await snap(page, testInfo, 'sample-weights-review', {
      docs: true,
      locator: wizard.root
    });
    await wizard.create();

    const experiment = autopilot.experimentPage('weighted-run');
    await expect(experiment.heading).toBeVisible();
    await expect(experiment.badge).toHaveText('Completed', {
      timeout: 4 * 60_000
    });
    await experiment.root.getByText('Settings and files').click();
    const settings = experiment.root.getByRole('definition').filter({
      hasText: /^campaign$/
    });
    await expect(settings).toBeVisible();
    await expect(
      experiment.root.getByRole('term').filter({ hasText: 'Sample weights' })
    ).toBeVisible();
    await expect(
      experiment.root
        .getByRole('definition')
        .filter({ hasText: /^lightgbm, linear-learner$/ })
    ).toBeVisible();
  });
});
