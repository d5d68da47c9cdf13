/**
 * Batch predictions and the bill before the run on the sagemaker backend (project
 * `sagemaker`, moto and the AutoML fake, see playwright.config.js): an experiment made
 * through the API, deployed from the dialog, which shows what the endpoint would cost
 * for a day (shipped, dated price table), then the endpoint's batch form runs a
 * SageMaker transform job on a file under the root (uploaded without its header) and
 * downloads the joined result next to it.
 *
 * Nothing is stubbed: the fake runs the transform job as SageMaker does for CSV with
 * JoinSource Input (each input line, then the model's answer); moto's canned answer
 * stands for the model, so the labels are not a real model's.
 */
import { expect, test } from '../helpers/fixtures';
import type { APIRequestContext } from '@playwright/test';

import { waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

const RUN = Date.now().toString(36);
const NAME = `sm-batch-${RUN}`;
const ENDPOINT = `${NAME}-ep`;
const DATA = 'bank-additional/bank-additional-full.csv';
const INPUT = `batch-${RUN}.csv`;
const OUTPUT = `batch-${RUN}.predictions.csv`;

async function cleanUp(request: APIRequestContext) {
  await request.delete(`/autopilot/api/endpoints/${ENDPOINT}`);
  const found = await request.get(`/autopilot/api/experiments/${NAME}`);
  if (found.ok()) {
    await request.post(`/autopilot/api/experiments/${NAME}/cleanup`, {
      data: { include_outputs: true, delete_experiment: true }
    });
  }
  for (const path of [INPUT, OUTPUT]) {
    await request.delete(`/api/contents/${path}`);
  }
}

test.describe('Batch predictions and cost estimates (sagemaker backend on moto)', () => {
  test.afterAll(async ({ request }) => {
    await cleanUp(request);
  });

  test('the deploy dialog prices the endpoint; a batch runs as a transform job', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);

    await test.step('upload the bank data and run an experiment (API)', async () => {
      const uploaded = await request.post('/autopilot/api/datasets/upload', {
        data: { path: DATA, key_prefix: `sagemaker/${NAME}/input` }
      });
      expect(uploaded.ok()).toBe(true);
      const { uri } = await uploaded.json();
      const created = await request.post('/autopilot/api/experiments', {
        data: { name: NAME, input_uri: uri, target: 'y', max_candidates: 3 }
      });
      expect(created.status()).toBe(201);
      await waitForExperiment(request, NAME, 180_000, 2000);
    });

    await test.step('the deploy dialog shows the cost of a day, with its assumptions', async () => {
      const experiment = await autopilot.openExperiment(NAME);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      await experiment.button('Deploy').click();
      const dialog = autopilot.dialog;
      await dialog.getByLabel('Endpoint name').fill(ENDPOINT);
      const estimate = dialog.getByLabel('Cost estimate');
      await expect(estimate).toContainText(
        'Estimated cost of this endpoint for a day'
      );
      // ml.m5.large: 0.115 USD an hour in the shipped table, 24 hours.
      await expect(estimate).toContainText('$2.76');
      await dialog.getByLabel('Instance count').fill('2');
      await expect(estimate).toContainText('$5.52');
      await estimate.getByText('Assumptions and prices').click();
      await expect(estimate).toContainText(
        'as last checked for this table (2025)'
      );
      await expect(estimate).toContainText('about two hours, up to USD 10');
      await dialog.getByLabel('Instance count').fill('1');
      await snap(page, testInfo, 'sagemaker-deploy-estimate', {
        docs: true,
        locator: dialog.locator('.jp-Dialog-content')
      });
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      const progress = page.locator('.jp-Dialog', {
        hasText: `Deploying ${ENDPOINT}`
      });
      await expect(progress.getByText('In service.')).toBeVisible({
        timeout: 60_000
      });
      await progress.getByRole('button', { name: 'Open endpoint' }).click();
    });

    await test.step('a batch prediction on a file runs as a transform job', async () => {
      const put = await request.put(`/api/contents/${INPUT}`, {
        data: {
          type: 'file',
          format: 'text',
          content: 'age;job;marital\n30;admin.;single\n41;technician;married\n'
        }
      });
      expect(put.ok()).toBe(true);
      const endpoint = autopilot.endpointPage(ENDPOINT);
      await expect(endpoint.badge).toHaveText('In service');
      await expect(
        endpoint.root.getByText('Runs a SageMaker batch transform job', {
          exact: false
        })
      ).toBeVisible();
      await endpoint.runBatchPrediction(INPUT);
      await expect(endpoint.batchStatus.getByText('Completed')).toBeVisible({
        timeout: 60_000
      });
      await expect(endpoint.batchStatus).toContainText('2 rows');
      await snap(page, testInfo, 'sagemaker-batch', {
        docs: true,
        locator: endpoint.root.locator('.jp-AutopilotBatch')
      });
      const file = await request.get(`/api/contents/${OUTPUT}?format=text`);
      expect(file.ok()).toBe(true);
      const lines = ((await file.json()).content as string)
        .split('\n')
        .filter(line => line);
      expect(lines[0]).toMatch(/^age,job,marital,predicted_label/);
      expect(
        lines.slice(1).map(l => l.split(',').slice(0, 3).join(','))
      ).toEqual(['30,admin.,single', '41,technician,married']);
      await expect(
        endpoint.root.getByRole('button', { name: `Open ${OUTPUT}` })
      ).toBeVisible();
    });
  });
});
