/**
 * Errors are readable messages next to what caused them, never a blank panel.
 */
import { expect, test } from '../helpers/fixtures';

import { routeApi } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

test.describe('Errors and validation', () => {
  test('a file that is not a valid CSV shows why', async ({
    page
  }, testInfo) => {
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await wizard.chooseFile('broken.csv');
    const alert = wizard.root
      .getByRole('alert')
      .filter({ hasText: 'Cannot read this file.' });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText('Row 2 has 2 fields');
    await expect(
      alert.getByRole('button', { name: 'Try again' })
    ).toBeVisible();
    await snap(page, testInfo, 'bad-file', { docs: true });

    // A file that does not exist.
    await wizard.chooseFile('no-such-file.csv');
    await expect(
      wizard.root.getByRole('alert').filter({ hasText: 'does not exist' })
    ).toBeVisible();
  });

  test('form fields are validated inline before the server is asked', async ({
    page
  }) => {
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    // Nothing chosen yet: Next stays on the step and says what is missing.
    await wizard.next();
    await expect(wizard.stepTitle).toHaveText('Step 1 of 4: Data');
    await expect(wizard.fieldError('Training data file')).toHaveText(
      'Choose a CSV file from the file browser.'
    );

    await wizard.chooseFile('bank-additional/bank-additional-full.csv');
    await expect(wizard.previewTable).toBeVisible();
    await wizard.next();
    await wizard.next();
    await expect(wizard.fieldError('Target column')).toHaveText(
      'Choose the column to predict.'
    );
    await wizard.pickTarget('y');
    await wizard.next();
    await wizard.setName('my experiment!');
    await wizard.setBudget({
      maxCandidates: 0,
      maxTrialRuntime: 120,
      maxJobRuntime: 60
    });
    await wizard.next();
    await expect(wizard.stepTitle).toHaveText('Step 3 of 4: Settings');
    await expect(wizard.fieldError('Experiment name')).toHaveText(
      'Only ASCII letters, digits and hyphens are allowed (not spaces "!").'
    );
    await expect(wizard.fieldError('Max candidates')).toHaveText(
      'Enter a value from 1 to 750.'
    );
    await expect(wizard.fieldError('Max trial runtime (s)')).toHaveText(
      'A trial cannot run longer than the whole job (60 s).'
    );
    await expect(wizard.root.getByLabel('Experiment name')).toHaveAttribute(
      'aria-invalid',
      'true'
    );
    // Fixing the fields clears the messages.
    await wizard.setName('valid-name');
    await wizard.setBudget({ maxCandidates: 4, maxTrialRuntime: 30 });
    await expect(wizard.fieldError('Experiment name')).toHaveText('');
    await wizard.next();
    await expect(wizard.stepTitle).toHaveText('Step 4 of 4: Review and create');
  });

  test.describe('stubbed', () => {
    // The app starts once, after the stubs (page.goto()), not once before and once after.
    test.use({ startApp: false });

    test('server validation errors appear next to their fields (stubbed 400)', async ({
      page
    }) => {
      // STUB: the create request answers a 400 with per-field details, as pydantic does.
      await routeApi(page, 'experiments', route =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 400,
              json: {
                error: 'validation_error',
                message: 'Invalid request: name: reserved name',
                details: [
                  {
                    field: 'name',
                    message: 'Value error, the name "admin" is reserved',
                    type: 'value_error'
                  }
                ]
              }
            })
          : route.fallback()
      );
      // Start the app with the stubs in place.
      await page.goto();
      const autopilot = new Autopilot(page);
      const wizard = await autopilot.createExperiment();
      await wizard.toSettings(
        'bank-additional/bank-additional-full.csv',
        'y',
        'admin'
      );
      await wizard.next();
      await wizard.create();
      // The wizard goes back to the step of the field and shows the server's words there.
      await expect(wizard.stepTitle).toHaveText('Step 3 of 4: Settings');
      await expect(wizard.fieldError('Experiment name')).toHaveText(
        'the name "admin" is reserved'
      );
      await expect(
        wizard.root
          .getByRole('alert')
          .filter({ hasText: 'The experiment was not created.' })
      ).toBeVisible();
    });

    test('a 501 from a backend without a feature reads as a sentence (stubbed)', async ({
      page
    }) => {
      // STUB: the endpoints routes of a backend that does not provide them.
      await routeApi(page, 'endpoints', route =>
        route.fulfill({
          status: 501,
          json: {
            error: 'not_implemented',
            message:
              "The local backend does not support listing endpoints yet. See the README's 'Status' section."
          }
        })
      );
      // Start the app with the stubs in place.
      await page.goto();
      const autopilot = new Autopilot(page);
      await autopilot.openEndpointsPanel();
      await expect(autopilot.endpointsPanel.getByRole('alert')).toContainText(
        'The local backend does not support listing endpoints yet.'
      );
    });
  });
});
