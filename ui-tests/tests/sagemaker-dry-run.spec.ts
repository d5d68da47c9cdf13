/**
 * The sagemaker backend in dry-run mode (`--SageMakerBackend.dry_run=True`):
 * requests that would create something on AWS are validated and shown, not sent.
 *
 * Runs in the `sagemaker` project against its dry-run server (port 8890, see
 * playwright.config.js): the same moto and AutoML fake, with the bank data already
 * in the fake S3 (ui-tests/ui_sagemaker.py), as an earlier real upload would leave
 * it, because a dry-run upload sends nothing. Nothing is stubbed.
 */
import { expect, test } from '../helpers/fixtures';

import { Autopilot, snap } from '../helpers/autopilot';

/** The dry-run server of playwright.config.js. */
const DRY_RUN_URL =
  process.env.AUTOPILOT_UI_DRY_RUN_URL ?? 'http://localhost:8890';
const NAME = `dry-run-${Date.now().toString(36)}`;
const S3_URI =
  's3://sagemaker-us-east-1-123456789012/sagemaker/tutorial-autopilot/input/bank-additional-full.csv';

test.use({ baseURL: DRY_RUN_URL });

test('a dry run shows the AWS requests instead of sending them', async ({
  page
}, testInfo) => {
  const autopilot = new Autopilot(page);

  await test.step('the sidebar says nothing is sent', async () => {
    await autopilot.openExperimentsPanel();
    const banner = autopilot.experimentsPanel.getByRole('region', {
      name: 'Backend notices'
    });
    await expect(banner).toContainText(
      'Dry run: AWS requests are shown, not sent'
    );
    await expect(banner).toContainText(
      'requests that create, change or delete AWS resources are shown, not sent'
    );
  });

  const wizard = await autopilot.createExperiment();
  await test.step('upload says where the file would go', async () => {
    await wizard.root
      .getByLabel('File to upload')
      .fill('bank-additional/bank-additional-full.csv');
    await wizard.root
      .getByLabel('Key prefix')
      .fill('sagemaker/tutorial-autopilot/input');
    await wizard.root.getByRole('button', { name: 'Upload to S3' }).click();
    await expect(
      wizard.root.getByLabel('S3 location of the training data')
    ).toHaveValue(S3_URI);
    await expect(
      wizard.root.getByText('Dry run: nothing was uploaded')
    ).toBeVisible();
    // Reads are sent: the object there (see ui_sagemaker.py) is previewed.
    await expect(wizard.previewTable).toBeVisible({ timeout: 30_000 });
  });

  await test.step('create an experiment without duration', async () => {
    await wizard.next();
    await wizard.pickTarget('y');
    await wizard.excludeColumn('duration');
    await wizard.next();
    await wizard.setName(NAME);
    await wizard.next();
    // The bill before the run, from the budget (AWS's defaults here).
    const estimate = wizard.root.getByLabel('Cost estimate');
    await expect(estimate).toContainText('Estimated cost of this experiment');
    await expect(estimate).toContainText('Typically about 2.25 h, about $9.45');
    await expect(estimate).toContainText('about two hours, up to USD 10');
    await snap(page, testInfo, 'sagemaker-create-estimate', {
      docs: true,
      locator: wizard.root
    });
    await wizard.create();
  });

  const experiment = autopilot.experimentPage(NAME);
  await test.step('the experiment page lists the requests, in order', async () => {
    await expect(experiment.heading).toBeVisible({ timeout: 30_000 });
    await expect(
      experiment.root.locator('.jp-Autopilot-viewHeader .jp-Autopilot-chip', {
        hasText: 'Dry run'
      })
    ).toBeVisible();
    await expect(experiment.statusLine).toContainText(
      'Dry run: the request was validated but not sent to AWS.'
    );
    const requests = experiment.root.getByRole('list', {
      name: 'Requests not sent'
    });
    const items = requests.locator(':scope > li');
    await expect(items).toHaveCount(2);
    // The feature specification that leaves duration out, then the job itself.
    await expect(items.nth(0)).toContainText('s3 PutObject');
    await expect(items.nth(0)).toContainText(
      `autopilot/${NAME}/output/feature-specification.json`
    );
    await expect(items.nth(1)).toContainText('sagemaker CreateAutoMLJobV2');
    await expect(items.nth(1)).toContainText(`AutoMLJobName=${NAME}`);
    const params = experiment.root.getByLabel(
      'Parameters of CreateAutoMLJobV2'
    );
    await expect(params).toBeVisible();
    await expect(params).toContainText('"TargetAttributeName": "y"');
    await expect(params).toContainText(`"S3Uri": "${S3_URI}"`);
    // Nothing runs, so nothing moves and there is nothing to stop.
    await expect(experiment.stages.locator('.jp-mod-active')).toHaveCount(0);
    await expect(experiment.root.getByLabel('Cost estimate')).toContainText(
      'Estimated cost of this experiment'
    );
    await expect(experiment.button('Stop')).toHaveCount(0);
    await snap(page, testInfo, 'sagemaker-dry-run', { docs: true });
    // The first request expands on a click.
    await items.nth(0).getByText('PutObject').click();
    await expect(
      experiment.root.getByLabel('Parameters of PutObject')
    ).toContainText('"ContentType": "application/json"');
  });
});

test('deploying in a dry run shows the requests instead of an endpoint', async ({
  page
}, testInfo) => {
  const autopilot = new Autopilot(page);
  // A job that completed before dry-run mode was on (see ui_sagemaker.py):
  // reads are sent, so it shows as usual.
  const experiment = await autopilot.openExperiment('earlier-job');
  await expect(experiment.badge).toHaveText('Completed', { timeout: 30_000 });
  await expect(experiment.trials).toHaveCount(3);
  await experiment.button('Deploy').click();
  const form = page.locator('.jp-Dialog', {
    hasText: 'Deploy a model from earlier-job'
  });
  await form.getByLabel('Endpoint name').fill('earlier-job-dry');
  await form.getByRole('button', { name: 'Deploy' }).click();

  const dialog = page.locator('.jp-Dialog', {
    hasText: 'Dry run: deploying earlier-job-dry'
  });
  const items = dialog
    .getByRole('list', { name: 'Requests not sent' })
    .locator(':scope > li');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('sagemaker CreateModel');
  await expect(items.nth(1)).toContainText('sagemaker CreateEndpointConfig');
  await expect(items.nth(2)).toContainText('sagemaker CreateEndpoint');
  await expect(
    dialog.getByLabel('Parameters of CreateEndpoint', { exact: true })
  ).toContainText('"EndpointName": "earlier-job-dry"');
  await snap(page, testInfo, 'sagemaker-dry-run-deploy', {
    locator: dialog.locator('.jp-Dialog-content')
  });
  await dialog.getByRole('button', { name: 'Close' }).click();
  // Nothing was created.
  await autopilot.openEndpointsPanel();
  await expect(
    autopilot.endpointsPanel.getByText('No endpoints running')
  ).toBeVisible();
});
