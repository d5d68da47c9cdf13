/**
 * The wizard's checks before the run (POST validation/experiment, local backend):
 * leakage warnings with a one-click "Exclude", a taken name flagged inline, and no
 * AWS-only fields on this backend. Nothing is stubbed.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const DATA = 'bank-additional/bank-additional-full.csv';
const TAKEN = 'name-taken-check';

test.describe('Checks before the run', () => {
  test.afterAll(async ({ request }) => {
    await removeExperiment(request, TAKEN);
  });

  test('the local backend hides the AWS-only fields', async ({ page }) => {
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await expect(wizard.root.getByText('Local backend')).toBeVisible();
    await expect(
      wizard.root.getByLabel('Training data file', { exact: true })
    ).toBeVisible();
    await expect(
      wizard.root.getByRole('button', { name: 'Upload to S3' })
    ).toHaveCount(0);
    await expect(
      wizard.root.getByText('The input is a manifest file')
    ).toHaveCount(0);
  });

  test('leakage is flagged before the run and a taken name inline', async ({
    page,
    request
  }, testInfo) => {
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.chooseFile(DATA);
    await expect(wizard.previewTable).toBeVisible();
    await wizard.next();
    await wizard.pickTarget('y');

    const checks = wizard.root.getByRole('region', { name: 'Data checks' });
    const leak = checks.locator('[data-column="duration"]');
    await test.step('duration is flagged as leaking the target', async () => {
      await expect(leak).toContainText('duration', { timeout: 30_000 });
      await expect(leak).toContainText('known only after the outcome');
      await expect(checks).toContainText('Check 1 column before you start');
      // The row of the columns table says so too; the imbalance is a note.
      await expect(
        wizard.root.getByRole('row', { name: /duration .*May leak the target/ })
      ).toBeVisible();
      await expect(
        checks.getByRole('list', { name: 'Notes about the data' })
      ).toContainText('imbalanced');
      await checks.evaluate(el => el.scrollIntoView({ block: 'center' }));
      await snap(page, testInfo, 'leakage-check', { docs: true });
    });

    await test.step('one click excludes it', async () => {
      await leak.getByRole('button', { name: 'Exclude duration' }).click();
      await expect(
        wizard.root.getByRole('checkbox', { name: 'Use column duration' })
      ).not.toBeChecked();
      await expect(leak).toHaveCount(0);
      await expect(checks).toContainText('No problems found in the data.', {
        timeout: 30_000
      });
    });

    await test.step('a name taken meanwhile is flagged at review', async () => {
      await wizard.next();
      await wizard.setName(TAKEN);
      // Someone creates an experiment with that name while the wizard is open.
      const created = await request.post('/autopilot/api/experiments', {
        data: {
          name: TAKEN,
          input_uri: DATA,
          target: 'y',
          mode: 'pilot'
        }
      });
      expect(created.status()).toBe(201);
      await wizard.next();
      await expect(wizard.stepTitle).toHaveText(
        'Step 4 of 4: Review and create'
      );
      await expect(checks).toContainText(
        `The name ${TAKEN} is taken: choose another one in Settings.`,
        { timeout: 30_000 }
      );
      const row = wizard.root.getByRole('row', { name: /^Name / });
      await expect(row).toContainText(
        `An experiment named "${TAKEN}" already exists; choose another name.`
      );
      await expect(
        wizard.root.getByRole('row', { name: /Excluded columns duration/ })
      ).toBeVisible();
      await snap(page, testInfo, 'name-taken');
    });

    await test.step('create goes back to the name instead of failing', async () => {
      await wizard.create();
      await expect(wizard.stepTitle).toHaveText('Step 3 of 4: Settings');
      await expect(wizard.fieldError('Experiment name')).toContainText(
        'already exists'
      );
      await wizard.setName(`${TAKEN}-2`);
      await expect(wizard.fieldError('Experiment name')).toHaveText('');
      await wizard.next();
      await expect(checks).toContainText(`The name ${TAKEN}-2 is available.`, {
        timeout: 30_000
      });
      // The resolved budget replaces the defaults the form guessed.
      await expect(
        wizard.root.getByRole('row', { name: /Max candidates .*\(default\)/ })
      ).toBeVisible();
    });
  });
});
