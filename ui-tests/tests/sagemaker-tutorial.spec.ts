/**
 * "Try the tutorial" on the sagemaker backend (project `sagemaker`; moto and the
 * AutoML fake, nothing stubbed): the sample lands under the Jupyter root like any
 * local CSV, and the wizard opens on its Data step with the file ready for
 * "Upload to S3"; after the upload the target `y` is still chosen and the data
 * checks flag `duration`. The root already holds an identical copy of the data
 * (the server seeds it), so the copy is reused, not duplicated.
 */
import { expect, test } from '../helpers/fixtures';

import { Autopilot, CreateWizard } from '../helpers/autopilot';

const DATA = 'bank-additional/bank-additional-full.csv';
const S3_URI =
  's3://sagemaker-us-east-1-123456789012/sagemaker/autopilot/input/bank-additional-full.csv';

test('the tutorial on SageMaker: upload the sample to S3, then target y', async ({
  page
}) => {
  const section = await new Autopilot(page).openLauncherSection();
  await section
    .getByRole('button', { name: 'Try the tutorial (bank marketing)' })
    .click();
  const wizard = new CreateWizard(page);
  await expect(wizard.root).toBeVisible();
  await expect(
    page.getByText(`Using ${DATA}: an identical copy was already there.`)
  ).toBeVisible();
  await expect(wizard.stepTitle).toHaveText('Step 1 of 4: Data');
  await expect(
    wizard.root.getByRole('region', { name: 'Tutorial data' })
  ).toContainText('Upload the file to S3 below');
  await expect(wizard.root.getByLabel('File to upload')).toHaveValue(DATA);

  await wizard.root.getByRole('button', { name: 'Upload to S3' }).click();
  await expect(
    wizard.root.getByLabel('S3 location of the training data')
  ).toHaveValue(S3_URI, { timeout: 60_000 });
  await expect(
    wizard.root.getByRole('table', { name: `First 10 rows of ${S3_URI}` })
  ).toBeVisible({ timeout: 30_000 });

  await wizard.next();
  await expect(wizard.root.getByLabel('Target column')).toHaveValue('y');
  const checks = wizard.root.getByRole('region', { name: 'Data checks' });
  await expect(checks.locator('[data-column="duration"]')).toContainText(
    'known only after the outcome',
    { timeout: 60_000 }
  );
});
