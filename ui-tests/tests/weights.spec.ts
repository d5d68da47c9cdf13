/**
 * Sample weights: the wizard's advanced section offers the weight column, the review
 * step and the finished experiment's settings show it. Real training on the bank data
 * (its `campaign` column, the number of contacts, as row weights) with a small budget.
 */
import { expect, test } from '@jupyterlab/galata';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const DATA = 'bank-additional/bank-additional-full.csv';

test.describe('Sample weights', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, 'weighted-run');
  });

  test('create with a sample weight column and see it in the experiment', async ({
    page
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.chooseFile(DATA);
    await expect(wizard.previewTable).toBeVisible();
    await wizard.next();
    await wizard.pickTarget('y');
    await wizard.next();
    await wizard.setName('weighted-run');
    await wizard.setBudget({ maxCandidates: 3, maxJobRuntime: 90 });
    const weight = wizard.root.getByLabel('Sample weight column');
    await expect(weight).toHaveValue('');
    // Only numeric columns are offered; the target never is.
    await expect(weight.locator('option', { hasText: 'job' })).toHaveCount(0);
    await expect(weight.locator('option', { hasText: /^y$/ })).toHaveCount(0);
    await weight.selectOption('campaign');
    await wizard.next();
    await expect(
      wizard.root.getByRole('row', { name: /Sample weights campaign/ })
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
  });
});
