/**
 * The sagemaker backend's form fields.
 *
 * STUBBED: there is no moto-based sagemaker test server for the UI tests yet, so
 * GET /autopilot/api/health is stubbed with Playwright's page.route to report the
 * sagemaker backend (features.s3 = true, region, bucket, instance types), and the
 * requests that would reach AWS (preview of an s3:// URI, upload, create) are
 * stubbed too. What is tested is the UI: which fields show, their validation and
 * the request the form sends.
 */
import { expect, test } from '@jupyterlab/galata';

import {
  fixture,
  routeApi,
  stubCannedExperiment,
  stubSageMakerHealth
} from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const S3_URI =
  's3://sagemaker-us-east-1-123456789012/sagemaker/tutorial-autopilot/input/bank-additional-full.csv';

test.describe('SageMaker backend fields (stubbed health)', () => {
  test('the local backend hides the AWS-only fields', async ({ page }) => {
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
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

  test('upload to S3, AWS settings with validation, and the request sent', async ({
    page
  }, testInfo) => {
    await stubSageMakerHealth(page);
    // STUB: the upload to S3 and the preview of the uploaded object.
    await routeApi(page, 'datasets/upload', route =>
      route.fulfill({
        status: 201,
        json: {
          uri: S3_URI,
          size_bytes: 5834924,
          warnings: ['The delimiter ";" was converted to commas for SageMaker.']
        }
      })
    );
    await routeApi(page, 'datasets/preview', route => {
      const body = route.request().postDataJSON();
      route.fulfill({
        json: { ...fixture('preview-bank'), uri: body.uri, delimiter: ',' }
      });
    });
    let sent: any = null;
    await routeApi(page, 'experiments', route => {
      if (route.request().method() !== 'POST') {
        return route.fallback();
      }
      sent = route.request().postDataJSON();
      return route.fulfill({
        status: 409,
        json: {
          error: 'conflict',
          message: 'Stubbed: the request was captured and not sent to AWS.'
        }
      });
    });

    // Reload so that the app starts with the stubs in place.
    await page.reload();
    const autopilot = new Autopilot(page);
    const wizard = await autopilot.createExperiment();
    await expect(wizard.root.getByText('SageMaker backend')).toBeVisible();
    await expect(
      wizard.root.getByLabel('S3 location of the training data')
    ).toBeVisible();
    await expect(
      wizard.root.getByText('The input is a manifest file')
    ).toBeVisible();

    // A local path is not accepted as the input on AWS.
    await wizard.root
      .getByLabel('S3 location of the training data')
      .fill('bank-additional/bank-additional-full.csv');
    await wizard.next();
    await expect(
      wizard.fieldError('S3 location of the training data')
    ).toContainText('SageMaker reads training data from S3');

    // Upload the local file to S3 (the tutorial's sagemaker.Session().upload_data).
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
    await expect(wizard.root.getByText('converted to commas')).toBeVisible();
    await expect(wizard.previewTable).toBeVisible();
    await snap(page, testInfo, 'sagemaker-data');

    await wizard.next();
    await wizard.pickTarget('y');
    await wizard.next();
    const aws = wizard.root.getByRole('group', { name: 'AWS settings' });
    await expect(aws).toBeVisible();
    await wizard.setName('tutorial-autopilot');
    await aws
      .getByLabel('Output data location (S3)')
      .fill('bucket-without-scheme/out');
    await aws.getByLabel('IAM role').fill('SageMakerRole');
    await aws.getByLabel('VPC security groups (optional)').fill('sg-0123abcd');
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
    await snap(page, testInfo, 'sagemaker-settings', { docs: true });

    await aws
      .getByLabel('Output data location (S3)')
      .fill('s3://sagemaker-us-east-1-123456789012/autopilot/output');
    await aws
      .getByLabel('IAM role')
      .fill(
        'arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole'
      );
    await aws
      .getByLabel('Encryption key (KMS, optional)')
      .fill('alias/autopilot');
    await aws
      .getByLabel('VPC subnets (optional)')
      .fill('subnet-0a1b, subnet-2c3d');
    await wizard.next();
    await expect(wizard.stepTitle).toHaveText('Step 4 of 4: Review and create');
    await expect(
      wizard.root.getByRole('row', { name: /IAM role arn:aws:iam/ })
    ).toBeVisible();
    await wizard.create();
    await expect(
      wizard.root.getByRole('alert').filter({ hasText: 'Stubbed' })
    ).toBeVisible();
    expect(sent).toMatchObject({
      name: 'tutorial-autopilot',
      input_uri: S3_URI,
      target: 'y',
      output_uri: 's3://sagemaker-us-east-1-123456789012/autopilot/output',
      role_arn:
        'arn:aws:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole',
      kms_key_id: 'alias/autopilot',
      vpc_config: {
        security_group_ids: ['sg-0123abcd'],
        subnets: ['subnet-0a1b', 'subnet-2c3d']
      },
      manifest: false
    });
  });

  test('the deploy dialog asks for instance type and count, or serverless', async ({
    page
  }, testInfo) => {
    await stubSageMakerHealth(page);
    await stubCannedExperiment(page);
    // Reload so that the app starts with the stubs in place.
    await page.reload();
    const autopilot = new Autopilot(page);
    const experiment = await autopilot.openExperiment('canned-experiment');
    await expect(experiment.leaderboard).toBeVisible();
    await experiment.button('Deploy').click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog.getByLabel('Candidate')).toHaveValue('ensemble-t005');
    await expect(dialog.getByLabel('Instance type')).toHaveValue('ml.m5.large');
    await expect(dialog.getByLabel('Instance count')).toHaveValue('1');
    await expect(dialog.getByText('billed per hour')).toBeVisible();
    // The endpoint name follows SageMaker's rule (63 characters).
    await dialog.getByLabel('Endpoint name').fill('x'.repeat(64));
    await expect(
      dialog.getByText('64 characters; the limit is 63.')
    ).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    await dialog.getByLabel('Endpoint name').fill('canned-endpoint');
    await dialog
      .getByRole('radio', { name: 'Serverless (pay per request)' })
      .check();
    await expect(dialog.getByLabel('Memory (MB)')).toBeVisible();
    await snap(page, testInfo, 'sagemaker-deploy', {
      locator: dialog.locator('.jp-Dialog-content')
    });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
