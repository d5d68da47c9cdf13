/**
 * The user's own validation file (issue #18 item 2): in the wizard's "Validation data",
 * a file instead of a share of the training file. The file is previewed when chosen and
 * a column mismatch is shown before Create; the review step and the finished
 * experiment's settings name the file. Real training on time-ordered sales (earlier rows
 * to train on, later rows to validate on) with a small budget.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

test.describe('Validation file', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, 'later-rows');
  });

  test('create with a validation file, see a mismatch first, then the file in the experiment', async ({
    page
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.toSettings('sales/earlier.csv', 'sold', 'later-rows');
    await wizard.setBudget({ maxCandidates: 3, maxJobRuntime: 90 });

    const validation = wizard.root.getByRole('group', {
      name: 'Validation data'
    });
    // A share of the training file by default.
    await expect(validation.getByLabel('Validation fraction')).toHaveValue(
      '0.2'
    );
    await validation.getByRole('radio', { name: 'A file of my own' }).check();
    await expect(validation.getByLabel('Validation fraction')).toHaveCount(0);
    const file = validation.getByLabel('Validation file', { exact: true });

    // A file with a renamed column: the mismatch shows before Create.
    await file.fill('sales/renamed.csv');
    await file.press('Tab');
    await expect(
      validation.getByText(
        'The validation file needs the training file’s columns (missing store; not in the training file: shop).'
      )
    ).toBeVisible();
    await wizard.next();
    await expect(
      wizard.root.getByRole('button', { name: 'Create experiment' })
    ).toHaveCount(0);

    // The later rows: same columns, accepted.
    await file.fill('sales/later.csv');
    await file.press('Tab');
    await expect(
      validation.getByText(/^Same 5 columns as the training file/)
    ).toBeVisible();
    await expect(validation.getByText(/needs the training file/)).toHaveCount(
      0
    );
    await snap(page, testInfo, 'validation-file', {
      docs: true,
      locator: validation
    });
    await wizard.next();
    await expect(
      wizard.root.getByRole('row', {
        name: /Validation data the file sales\/later\.csv \(no random split\)/
      })
    ).toBeVisible();
    await wizard.create();

    const experiment = autopilot.experimentPage('later-rows');
    await expect(experiment.heading).toBeVisible();
    await expect(experiment.badge).toHaveText('Completed', {
      timeout: 4 * 60_000
    });
    await experiment.root.getByText('Settings and files').click();
    await expect(
      experiment.root.getByRole('term').filter({ hasText: 'Validation file' })
    ).toBeVisible();
    await expect(
      experiment.root
        .getByRole('definition')
        .filter({ hasText: /^sales\/later\.csv$/ })
    ).toBeVisible();
  });
});
