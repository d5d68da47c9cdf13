/**
 * The way out to SageMaker (#21): a server that offers the local backend and SageMaker
 * beside it; the tutorial's file is too big for the local backend here, and one action
 * in the wizard uploads it to S3 and creates the same experiment on SageMaker.
 *
 * Runs in the `sagemaker` project against the both-backends server (port 8893, see
 * playwright.config.js and jupyter_server_both_config.py): local by default, accepting
 * files of at most 2 MB; sagemaker on moto and the AutoML fake. Nothing is stubbed.
 */
import { expect, test } from '../helpers/fixtures';

import { Autopilot, CreateWizard, snap } from '../helpers/autopilot';

/** The both-backends server of playwright.config.js. */
const BOTH_URL = process.env.AUTOPILOT_UI_BOTH_URL ?? 'http://localhost:8893';
/** Where Upload to S3 puts the tutorial's file with the default key prefix. */
const S3_URI =
  's3://sagemaker-us-east-1-123456789012/sagemaker/autopilot/input/bank-additional-full.csv';

test.use({ baseURL: BOTH_URL });

test('a file too big for this machine runs on SageMaker, settings kept', async ({
  page
}, testInfo) => {
  const autopilot = new Autopilot(page);
  const backend = autopilot.experimentsPanel.getByRole('combobox', {
    name: 'Backend'
  });

  await test.step('the panel offers both backends, local first', async () => {
    await autopilot.openExperimentsPanel();
    await expect(backend).toHaveValue('local');
    await expect(backend.getByRole('option')).toHaveText([
      'Local',
      'SageMaker'
    ]);
  });

  const wizard = new CreateWizard(page);
  await test.step('the local preview refuses the tutorial file, pointing to SageMaker', async () => {
    await autopilot.experimentsPanel
      .getByRole('button', { name: 'Try the tutorial (bank marketing)' })
      .click();
    await expect(wizard.root).toBeVisible();
    await expect(wizard.root.getByText('Local backend')).toBeVisible();
    const wayOut = wizard.root.getByRole('region', {
      name: 'Run on SageMaker'
    });
    await expect(wayOut).toContainText('This file is too big for this machine');
    await snap(page, testInfo, 'run-on-sagemaker-too-big', {
      locator: wizard.root
    });
    await wizard.back();
    await expect(wizard.alerts.first()).toContainText(
      'is too big to train on here'
    );
    await wayOut.getByRole('button', { name: 'Run on SageMaker' }).click();
  });

  await test.step('uploaded to S3, the review shows the estimate before anything is spent', async () => {
    await expect(wizard.root.getByText('SageMaker backend')).toBeVisible();
    const moved = wizard.root.getByRole('region', {
      name: 'Moved from the local backend'
    });
    await expect(moved).toContainText(
      `Uploaded bank-additional/bank-additional-full.csv to ${S3_URI}`,
      { timeout: 30_000 }
    );
    await expect(wizard.stepTitle).toHaveText(
      'Step 4 of 4: Review and create',
      {
        timeout: 30_000
      }
    );
    // The data is the uploaded file; the tutorial's target came along.
    await expect(wizard.root.getByRole('row', { name: /^Data/ })).toContainText(
      S3_URI
    );
    await expect(
      wizard.root.getByRole('row', { name: /^Target/ })
    ).toContainText('y');
    // The data checks run on SageMaker too: leave the tutorial's leak out.
    await wizard.root.getByRole('button', { name: 'Exclude duration' }).click();
    await expect(
      wizard.root.getByRole('row', { name: /^Excluded columns/ })
    ).toContainText('duration');
    const estimate = wizard.root.getByLabel('Cost estimate');
    await expect(estimate).toContainText('Estimated cost of this experiment', {
      timeout: 30_000
    });
    await snap(page, testInfo, 'run-on-sagemaker', {
      docs: true,
      locator: wizard.root
    });
  });

  await test.step('created on SageMaker, listed under SageMaker in the panel', async () => {
    await wizard.create();
    const view = page.locator('.jp-AutopilotExperiment:visible');
    await expect(view).toBeVisible({ timeout: 30_000 });
    await expect(backend).toHaveValue('sagemaker');
    const row = autopilot.experimentsList.getByRole('button', {
      name: /^Open experiment /
    });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('sagemaker');
    await snap(page, testInfo, 'run-on-sagemaker-panel', {
      locator: autopilot.experimentsPanel
    });
    // The endpoints sidebar lists the same backend's.
    await autopilot.openEndpointsPanel();
    await expect(
      autopilot.endpointsPanel.getByText('SageMaker', { exact: true })
    ).toBeVisible();
    await autopilot.openExperimentsPanel();
    // Back to the local backend: its own (empty) list.
    await backend.selectOption('local');
    await expect(
      autopilot.experimentsPanel.getByText('No experiments yet')
    ).toBeVisible();
  });
});

test('the backend chosen in the sidebar is kept after a reload', async ({
  page
}) => {
  const autopilot = new Autopilot(page);
  const backend = autopilot.experimentsPanel.getByRole('combobox', {
    name: 'Backend'
  });
  await autopilot.openExperimentsPanel();
  await expect(backend).toHaveValue('local');
  // JupyterLab saves its state database with the workspace (debounced): wait for that
  // save before reloading, as a user's next page load comes after it.
  const saved = page.waitForRequest(
    request =>
      request.method() === 'PUT' &&
      request.url().includes('/api/workspaces') &&
      (request.postData() ?? '').includes('jupyter-autopilot:selected-backend')
  );
  await backend.selectOption('sagemaker');
  await saved;
  await page.reload();
  await autopilot.openExperimentsPanel();
  await expect(backend).toHaveValue('sagemaker');
  // And back: the default is remembered as a choice too.
  await backend.selectOption('local');
  await expect(backend).toHaveValue('local');
});
