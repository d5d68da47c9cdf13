/**
 * The tutorial on the sagemaker backend, by clicking, against a server that answers
 * like AWS without AWS (project `sagemaker`, port 8889, see playwright.config.js):
 * moto serves S3, STS, IAM, models, endpoint configs and endpoints, and the stateful
 * AutoML fake of the Python tests serves the AutoML V2 calls (a job moves one
 * secondary status per DescribeAutoMLJobV2, which the backend caches ~5 s: about a
 * minute per job). Every request the backend sends is checked against botocore's
 * service model by the fake.
 *
 * Nothing here is stubbed. What moto cannot do is left out rather than faked:
 * predictions (moto's InvokeEndpoint answers a canned body, not a model's output;
 * the local journey covers the Predict form); batch predictions have their own spec
 * (sagemaker-batch.spec.ts).
 */
import { expect, test } from '../helpers/fixtures';
import type { APIRequestContext } from '@playwright/test';

import { Autopilot, snap } from '../helpers/autopilot';

/** AWS never frees AutoML job names: a fresh one per run (the server may be reused). */
const NAME = `tutorial-${Date.now().toString(36)}`;
const DATA = 'bank-additional/bank-additional-full.csv';
const PREFIX = 'sagemaker/tutorial-autopilot/input';
const BUCKET = 'sagemaker-us-east-1-123456789012';
const S3_URI = `s3://${BUCKET}/${PREFIX}/bank-additional-full.csv`;
const ROLE = 'arn:aws:iam::123456789012:role/AutopilotExecutionRole';

/** Delete what a failed run may have left (endpoints first: they cost by the hour). */
async function cleanUp(request: APIRequestContext, name: string) {
  const list = await request.get('/autopilot/api/endpoints');
  if (list.ok()) {
    for (const e of (await list.json()).endpoints) {
      if (e.experiment === name) {
        await request.delete(`/autopilot/api/endpoints/${e.name}`);
      }
    }
  }
  const found = await request.get(`/autopilot/api/experiments/${name}`);
  if (found.ok()) {
    await request.post(`/autopilot/api/experiments/${name}/cleanup`, {
      data: { include_outputs: true, delete_experiment: true }
    });
  }
}

test.describe('Tutorial on the sagemaker backend (moto and the AutoML fake)', () => {
  test.afterAll(async ({ request }) => {
    await cleanUp(request, NAME);
  });

  test('health, upload to S3, AWS fields, stages, leaderboard, deploy, clean up', async ({
    page
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);

    await test.step('the sidebar shows the sagemaker backend and its region', async () => {
      await autopilot.openExperimentsPanel();
      const chip = autopilot.experimentsPanel.getByText(
        'SageMaker · us-east-1',
        {
          exact: true
        }
      );
      await expect(chip).toBeVisible();
      await expect(chip).toHaveAttribute(
        'title',
        'Backend: sagemaker (arn:aws:sts::123456789012:user/moto)'
      );
      // The caller identity (sts:GetCallerIdentity), as the tutorial's step 1 asks.
      await expect(
        autopilot.experimentsPanel.getByText(
          'arn:aws:sts::123456789012:user/moto',
          { exact: true }
        )
      ).toBeVisible();
    });

    const wizard = await autopilot.createExperiment();

    await test.step('a local path is not accepted as the input on AWS', async () => {
      await expect(wizard.root.getByText('SageMaker backend')).toBeVisible();
      await expect(
        wizard.root.getByLabel('Training data file', { exact: true })
      ).toHaveCount(0);
      await expect(
        wizard.root.getByText('The input is a manifest file')
      ).toBeVisible();
      await wizard.root
        .getByLabel('S3 location of the training data')
        .fill(DATA);
      await wizard.next();
      await expect(
        wizard.fieldError('S3 location of the training data')
      ).toContainText('SageMaker reads training data from S3');
    });

    await test.step('upload the bank CSV to the default bucket and preview it', async () => {
      await expect(
        wizard.root.getByText(`default bucket ${BUCKET}`)
      ).toBeVisible();
      await wizard.root.getByLabel('File to upload').fill(DATA);
      await wizard.root.getByLabel('Key prefix').fill(PREFIX);
      await wizard.root.getByRole('button', { name: 'Upload to S3' }).click();
      await expect(
        wizard.root.getByLabel('S3 location of the training data')
      ).toHaveValue(S3_URI, { timeout: 60_000 });
      // Autopilot reads commas: the uploaded copy was converted.
      await expect(
        wizard.root.getByText(/the uploaded copy uses commas/)
      ).toBeVisible();
      await expect(
        wizard.root.getByRole('table', { name: `First 10 rows of ${S3_URI}` })
      ).toBeVisible({ timeout: 30_000 });
      await expect(wizard.previewSummary).toContainText('comma-separated');
      await snap(page, testInfo, 'sagemaker-data', { docs: true });
    });

    await test.step('pick the target, leave out duration', async () => {
      await wizard.next();
      await wizard.pickTarget('y');
      // The backend checks the head of the S3 object before any job exists.
      const checks = wizard.root.getByRole('region', { name: 'Data checks' });
      const leak = checks.locator('[data-column="duration"]');
      await expect(leak).toContainText('duration', { timeout: 60_000 });
      await leak.getByRole('button', { name: 'Exclude duration' }).click();
      await expect(leak).toHaveCount(0);
    });

    const aws = wizard.root.getByRole('group', { name: 'AWS settings' });
    await test.step('the AWS-only fields are validated inline', async () => {
      await wizard.next();
      await expect(aws).toBeVisible();
      await wizard.setName(NAME);
      await wizard.setBudget({ maxCandidates: 3 });
      await aws
        .getByLabel('Output data location (S3)')
        .fill('bucket-without-scheme/out');
      await aws.getByLabel('IAM role').fill('SageMakerRole');
      await aws
        .getByLabel('VPC security groups (optional)')
        .fill('sg-0123abcd');
      await wizard.next();
      await expect(wizard.fieldError('Output data location (S3)')).toHaveText(
        'An S3 location looks like s3://bucket/prefix.'
      );
      await expect(wizard.fieldError('IAM role')).toContainText(
        'arn:aws:iam::123456789012:role/MyRole'
      );
      await expect(
        wizard.fieldError('VPC security groups (optional)')
      ).toHaveText('A VPC needs both security groups and subnets.');
      // The role the server detected is the default.
      await expect(aws.getByText(`Default: ${ROLE}`)).toBeVisible();
      await aws.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'sagemaker-settings', { docs: true });
    });

    await test.step('fill them in and create', async () => {
      await aws
        .getByLabel('Output data location (S3)')
        .fill(`s3://${BUCKET}/autopilot-ui/output`);
      await aws.getByLabel('IAM role').fill(ROLE);
      await aws
        .getByLabel('Encryption key (KMS, optional)')
        .fill('alias/autopilot');
      await aws
        .getByLabel('VPC subnets (optional)')
        .fill('subnet-0a1b2c3d, subnet-4e5f6a7b');
      await wizard.next();
      await expect(wizard.stepTitle).toHaveText(
        'Step 4 of 4: Review and create'
      );
      await expect(
        wizard.root.getByRole('row', { name: /Excluded columns duration/ })
      ).toBeVisible();
      await expect(
        wizard.root.getByRole('row', { name: /VPC sg-0123abcd/ })
      ).toBeVisible();
      await wizard.create();
    });

    const experiment = autopilot.experimentPage(NAME);
    await test.step('watch the four stages complete', async () => {
      await expect(experiment.heading).toBeVisible({ timeout: 30_000 });
      await expect(
        experiment.root.locator('.jp-Autopilot-viewHeader .jp-Autopilot-chip', {
          hasText: 'sagemaker'
        })
      ).toBeVisible();
      await experiment.expectStageStatus('Pre-processing', /running|done/);
      await experiment.expectStageStatus('Model Tuning', 'running', 90_000);
      await expect(experiment.stages.locator('.jp-mod-active')).toHaveCount(1);
      await experiment.waitForAllStagesDone(120_000);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      await expect(experiment.stages.locator('.jp-mod-active')).toHaveCount(0);
      await expect(experiment.statusLine).toContainText('Completed');
    });

    await test.step('read the leaderboard and the best candidate', async () => {
      await expect(experiment.trials).toHaveCount(3, { timeout: 30_000 });
      await expect(experiment.trials.first()).toContainText('Best');
      await expect(experiment.trials.first()).toContainText('xgboost');
      await expect(
        experiment.root.getByRole('heading', { name: 'Candidate details' })
      ).toBeVisible();
      // Hyperparameters come from DescribeTrainingJob (internal ones hidden).
      await expect(experiment.root.getByText('max_depth')).toBeVisible({
        timeout: 30_000
      });
      // The sidebar follows (ListAutoMLJobs is cached for 10 s).
      await expect(
        autopilot.experimentsList.getByRole('button', {
          name: `Open experiment ${NAME} (Completed)`
        })
      ).toBeVisible({ timeout: 30_000 });
      await snap(page, testInfo, 'sagemaker-stages-complete', { docs: true });
    });

    await test.step('open the downloaded data exploration notebook', async () => {
      await experiment.openNotebook('data exploration');
      await expect(
        page.locator('#jp-main-dock-panel').getByRole('tab', {
          name: 'SageMakerAutopilotDataExplorationNotebook.ipynb'
        })
      ).toBeVisible();
      // The notebook Autopilot wrote to S3, downloaded and opened in JupyterLab.
      await expect(
        page
          .locator('.jp-NotebookPanel:visible')
          .getByRole('heading', { name: 'Data exploration' })
      ).toBeVisible();
      // Like Autopilot's, the notebook names its kernel: no kernel dialog.
      await expect(
        page.locator('.jp-Dialog', { hasText: 'Select Kernel' })
      ).toHaveCount(0);
      await autopilot.activateTab(NAME);
    });

    const dialog = page.locator('.jp-Dialog');
    const endpointName = `${NAME}-ep`;
    await test.step('deploy: no serverless hosting in a VPC, an instance type works', async () => {
      await experiment.button('Deploy').click();
      await expect(dialog.getByLabel('Candidate', { exact: true })).toHaveValue(
        /-xgb-/
      );
      await expect(dialog.getByLabel('Instance type')).toHaveValue(
        'ml.m5.large'
      );
      await expect(dialog.getByLabel('Instance count')).toHaveValue('1');
      await expect(dialog.getByText('billed per hour')).toBeVisible();
      await dialog.getByLabel('Endpoint name').fill(endpointName);
      // The experiment runs in a VPC (set above), which SageMaker Serverless Inference
      // does not support: the option is off and says why.
      await expect(
        dialog.getByRole('radio', { name: /Serverless \(pay per request\)/ })
      ).toBeDisabled();
      await expect(
        dialog.getByText('This experiment ran in a VPC', { exact: false })
      ).toBeVisible();
      await dialog.getByRole('radio', { name: 'Real-time instances' }).check();
      await dialog.getByLabel('Instance type').selectOption('ml.c5.large');
      // SageMaker Clarify online explainability: the endpoint config gets an explainer.
      await dialog
        .getByRole('checkbox', {
          name: /Explain predictions \(SageMaker Clarify/
        })
        .check();
      await snap(page, testInfo, 'sagemaker-deploy', {
        docs: true,
        locator: dialog.locator('.jp-Dialog-content')
      });
      const deployed = page.waitForResponse(
        r => r.url().includes('/deploy') && r.request().method() === 'POST'
      );
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      const answer = await deployed;
      expect(answer.request().postDataJSON()).toMatchObject({
        explanations: true
      });
      expect((await answer.json()).explanations).toBe(true);
      const progress = page.locator('.jp-Dialog', {
        hasText: `Deploying ${endpointName}`
      });
      await expect(progress.getByText('In service.')).toBeVisible({
        timeout: 60_000
      });
      await progress.getByRole('button', { name: 'Open endpoint' }).click();
    });

    const endpoint = autopilot.endpointPage(endpointName);
    await test.step('the endpoint shows its instance type and hourly cost', async () => {
      await expect(endpoint.badge).toHaveText('In service');
      const details = endpoint.root.getByRole('definition');
      await expect(
        details.filter({ hasText: 'ml.c5.large × 1' })
      ).toBeVisible();
      await expect(
        details.filter({ hasText: 'about $0.102 per hour (approximate)' })
      ).toBeVisible();
      await expect(
        endpoint.root.getByRole('link', { name: 'SageMaker pricing' })
      ).toHaveAttribute('href', 'https://aws.amazon.com/sagemaker/pricing/');
      await expect(
        endpoint.root.getByText('Billed per hour while it exists')
      ).toBeVisible();
      // Batch predictions run as transform jobs here (sagemaker-batch.spec.ts).
      await expect(
        endpoint.root.getByRole('heading', { name: 'Batch prediction' })
      ).toBeVisible();
    });

    await test.step('the sidebars show the cost and warn that it runs', async () => {
      await autopilot.openEndpointsPanel();
      const row = autopilot.endpointsPanel.locator(
        `[data-endpoint="${endpointName}"]`
      );
      await expect(row).toContainText('ml.c5.large × 1 · about $0.102/hour');
      await expect(
        autopilot.endpointsPanel.getByTestId('endpoints-cost')
      ).toContainText('about $0.102 per hour');
      await snap(page, testInfo, 'sagemaker-endpoints', {
        docs: true,
        locator: autopilot.endpointsPanel
      });
      await autopilot.openExperimentsPanel();
      const banner = autopilot.experimentsPanel.getByRole('region', {
        name: 'Backend notices'
      });
      await expect(banner).toContainText(
        `1 endpoint(s) deployed from here are running in us-east-1, about USD 0.10 per hour (approximate): ${endpointName}`,
        { timeout: 30_000 }
      );
      await snap(page, testInfo, 'sagemaker-health-banner', {
        docs: true,
        locator: autopilot.experimentsPanel
      });
    });

    await test.step('delete the endpoint', async () => {
      await autopilot.openEndpointsPanel();
      await autopilot.endpointsPanel
        .getByRole('button', { name: `Delete endpoint ${endpointName}` })
        .click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await expect(
        autopilot.endpointsPanel.locator(`[data-endpoint="${endpointName}"]`)
      ).toHaveCount(0, { timeout: 30_000 });
      await expect(endpoint.root.getByText('no longer exists')).toBeVisible({
        timeout: 30_000
      });
      // The running-endpoint warning goes with it.
      await autopilot.openExperimentsPanel();
      await expect(
        autopilot.experimentsPanel.getByRole('region', {
          name: 'Backend notices'
        })
      ).toHaveCount(0, { timeout: 30_000 });
    });

    await test.step('clean up what the experiment left on S3 and here', async () => {
      await autopilot.activateTab(NAME);
      await experiment.button('Clean up').click();
      const plan = dialog.getByRole('list', { name: 'Resources to delete' });
      const outputs = `s3://${BUCKET}/autopilot-ui/output/${NAME}/`;
      await expect(plan).toContainText(outputs);
      await expect(plan).toContainText(
        `autopilot/experiments/${NAME}/notebooks`
      );
      // Deleting the endpoint took its configuration and model with it.
      await expect(plan).not.toContainText(endpointName);
      await snap(page, testInfo, 'sagemaker-cleanup-plan', {
        docs: true,
        locator: dialog.locator('.jp-Dialog-content')
      });
      await dialog.getByRole('button', { name: 'Delete' }).click();
      const result = page.locator('.jp-Dialog', { hasText: 'Nothing is left' });
      await expect(result).toBeVisible({ timeout: 60_000 });
      await expect(result.getByRole('list', { name: 'Deleted' })).toContainText(
        outputs
      );
      await result.getByRole('button', { name: 'Close' }).click();
    });
  });
});
