/**
 * "Deploy exported model" on the sagemaker backend (project `sagemaker`, moto and the
 * AutoML fake, see playwright.config.js): an archive with the layout of a local
 * export (model.joblib, model.sha256, code/inference.py, export.json; its model is
 * never unpickled on this side) is put under the server root through the contents
 * API, then deployed from the endpoints sidebar's dialog, checked field by field.
 *
 * Nothing is stubbed. The export itself is covered on the local backend
 * (variants.spec.ts); the archive here is built by the test to stay small.
 */
import { expect, test } from '../helpers/fixtures';
import * as zlib from 'zlib';

import { Autopilot, snap } from '../helpers/autopilot';

const RUN = Date.now().toString(36);
const FOLDER = `exports-${RUN}`;
const ARTIFACT = `${FOLDER}/champion/model.tar.gz`;
const ENDPOINT = `imported-${RUN}`;

/** One ustar header + data, padded to 512-byte blocks. */
function tarEntry(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512, 0);
  const field = (offset: number, length: number, value: string) =>
    header.write(value, offset, length, 'ascii');
  const octal = (value: number, length: number) =>
    value.toString(8).padStart(length - 1, '0') + '\0';
  field(0, 100, name);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(data.length, 12));
  field(136, 12, octal(Math.floor(Date.now() / 1000), 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of header) {
    sum += byte;
  }
  field(148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512, 0);
  return Buffer.concat([header, data, padding]);
}

/** A model.tar.gz with the members a jupyter-autopilot export has. */
function fakeExport(): Buffer {
  const members: Record<string, string> = {
    'model.joblib': 'not unpickled on this side',
    'model.sha256': '0'.repeat(64),
    'code/inference.py': 'def model_fn(model_dir): ...\n',
    'export.json': JSON.stringify({
      experiment: 'bank',
      candidate: 'lightgbm-3',
      algorithm: 'lightgbm',
      objective_metric: 'F1',
      objective_value: 0.93,
      input_columns: ['age', 'job']
    })
  };
  const tar = Buffer.concat([
    ...Object.entries(members).map(([name, text]) =>
      tarEntry(name, Buffer.from(text, 'utf-8'))
    ),
    Buffer.alloc(1024, 0)
  ]);
  return zlib.gzipSync(tar);
}

test.describe('Deploy an exported model (sagemaker backend on moto)', () => {
  test.afterAll(async ({ request }) => {
    await request.delete(`/autopilot/api/endpoints/${ENDPOINT}`);
    await request.delete(`/api/contents/${ARTIFACT}`);
    await request.delete(`/api/contents/${FOLDER}/champion`);
    await request.delete(`/api/contents/${FOLDER}`);
  });

  test('from the endpoints sidebar, with the fields checked', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(3 * 60 * 1000);
    const autopilot = new Autopilot(page);

    await test.step('put an exported archive under the root (API)', async () => {
      for (const folder of [FOLDER, `${FOLDER}/champion`]) {
        const made = await request.put(`/api/contents/${folder}`, {
          data: { type: 'directory' }
        });
        expect(made.ok()).toBe(true);
      }
      const put = await request.put(`/api/contents/${ARTIFACT}`, {
        data: {
          type: 'file',
          format: 'base64',
          content: fakeExport().toString('base64')
        }
      });
      expect(put.ok()).toBe(true);
    });

    const dialog = autopilot.dialog;
    await test.step('open the dialog; wrong input is explained', async () => {
      await autopilot.openEndpointsPanel();
      await autopilot.endpointsPanel
        .getByRole('button', { name: 'Deploy exported model' })
        .click();
      await expect(dialog.getByText('Deploy an exported model')).toBeVisible();
      const artifact = dialog.getByLabel('Exported model (path or S3 URI)');
      const deploy = dialog.getByRole('button', { name: 'Deploy' });
      await artifact.fill(`${FOLDER}/champion/model.zip`);
      await expect(
        dialog.getByText('SageMaker reads model.tar.gz archives', {
          exact: false
        })
      ).toBeVisible();
      await expect(deploy).toBeDisabled();
      await artifact.fill(ARTIFACT);
      // The name follows the export's folder until typed.
      await expect(dialog.getByLabel('Endpoint name')).toHaveValue(
        'champion-endpoint'
      );
      await dialog.getByLabel('Endpoint name').fill('bad name');
      await expect(
        dialog.getByText('Only ASCII letters, digits and hyphens', {
          exact: false
        })
      ).toBeVisible();
      await expect(deploy).toBeDisabled();
      await dialog.getByLabel('Endpoint name').fill(ENDPOINT);
      await expect(dialog.getByLabel('Instance type')).toHaveValue(
        'ml.m5.large'
      );
      await expect(dialog.getByLabel('Instance count')).toHaveValue('1');
      await expect(deploy).toBeEnabled();
      await snap(page, testInfo, 'sagemaker-import-dialog', {
        locator: dialog.locator('.jp-Dialog-content')
      });
    });

    await test.step('deploy it and follow it to InService', async () => {
      const posted = page.waitForResponse(
        r =>
          /\/autopilot\/api\/endpoints$/.test(r.url()) &&
          r.request().method() === 'POST'
      );
      await dialog.getByRole('button', { name: 'Deploy' }).click();
      const response = await posted;
      expect(response.status()).toBe(202);
      expect(response.request().postDataJSON()).toEqual({
        artifact: ARTIFACT,
        endpoint_name: ENDPOINT,
        image_uri: null,
        instance_type: 'ml.m5.large',
        instance_count: 1,
        serverless: null,
        inference_response_keys: ['predicted_label', 'probability']
      });
      // Uploaded to S3 for SageMaker's scikit-learn image.
      expect((await response.json()).backend_details.model_data).toMatch(
        new RegExp(`^s3://.+/models/${ENDPOINT}/model\\.tar\\.gz$`)
      );
      const progress = page.locator('.jp-Dialog', {
        hasText: `Deploying ${ENDPOINT}`
      });
      await expect(progress).toContainText('Candidate lightgbm-3 (lightgbm)');
      await expect(
        progress.getByText('In service.', { exact: false })
      ).toBeVisible({ timeout: 120_000 });
      await progress.getByRole('button', { name: 'Close' }).click();
      const endpoint = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
      ).json();
      expect(endpoint.experiment).toBe('bank');
      expect(endpoint.candidate).toBe('lightgbm-3');
      expect(endpoint.input_columns).toEqual(['age', 'job']);
      expect(endpoint.instance_type).toBe('ml.m5.large');
      await expect(
        autopilot.endpointsPanel.locator(`[data-endpoint="${ENDPOINT}"]`)
      ).toBeVisible();
    });
  });
});
