/**
 * Per-row explanations and what-if on the local backend: a small experiment trained
 * for real on generated data (age drives the target), deployed through the API; in the
 * endpoint's Predict form one row is predicted with its contributions chart, then
 * pinned as scenario A, age changed, and scenario B predicted beside it with the
 * change and the move of the probability.
 *
 * Nothing is stubbed. The screenshot `explain-what-if` goes to docs/images/ with
 * UPDATE_DOCS_IMAGES=1.
 */
import { expect, test } from '../helpers/fixtures';

import { generator, removeExperiment, trainOnCsv } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** Unique per run, so that leftovers of earlier runs never get in the way. */
const RUN = Date.now().toString(36);
const NAME = `explain-${RUN}`;
const DATA = `explain-${RUN}.csv`;
const ENDPOINT = `why-${RUN}`;
const JOBS = ['admin.', 'blue-collar', 'technician', 'services'];

/** 1,000 rows; older customers say yes (age decides, job and balance barely). */
function trainingCsv(): string {
  const random = generator(7);
  const lines = ['age,job,balance,y'];
  for (let i = 0; i < 1000; i++) {
    const age = 20 + Math.floor(random() * 60);
    const job = JOBS[Math.floor(random() * JOBS.length)];
    const balance = Math.round(random() * 5000);
    const score = (age - 50) / 8 + (random() - 0.5) * 4;
    lines.push(`${age},${job},${balance},${score > 0 ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

test.describe('Per-row explanations and what-if (local backend)', () => {
  test.use({ viewport: { width: 1440, height: 1200 } });

  test.afterAll(async ({ request }) => {
    await request.delete(`/autopilot/api/endpoints/${ENDPOINT}`);
    await removeExperiment(request, NAME);
    await request.delete(`/api/contents/${DATA}`);
  });

  test('predict a row, see why, change age, compare A and B', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(6 * 60 * 1000);
    const autopilot = new Autopilot(page);

    await test.step('train and deploy on generated data (API)', async () => {
      await trainOnCsv(request, NAME, DATA, trainingCsv(), { target: 'y' });
      const deployed = await request.post(
        `/autopilot/api/experiments/${NAME}/deploy`,
        { data: { endpoint_name: ENDPOINT } }
      );
      expect(deployed.status()).toBe(202);
      await expect
        .poll(
          async () =>
            (
              await (
                await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
              ).json()
            ).status,
          { timeout: 120_000 }
        )
        .toBe('InService');
    });

    const endpoint = autopilot.endpointPage(ENDPOINT);
    await test.step('predict a row of the data: the chart says why', async () => {
      await autopilot.openEndpointsPanel();
      await autopilot.endpointsPanel
        .getByRole('button', { name: new RegExp(`Open endpoint ${ENDPOINT}`) })
        .click();
      await expect(endpoint.badge).toHaveText('In service');
      await endpoint.predictSampleRow(1);
      await expect(endpoint.predictedLabel).toHaveText(/^(yes|no)$/, {
        timeout: 30_000
      });
      const chart = endpoint.root.getByTestId('contributions');
      await expect(chart).toBeVisible();
      await expect(chart.getByText(/of yes: base/)).toBeVisible();
      await expect(
        chart.getByRole('list', { name: 'Contributions' })
      ).toContainText('age =');
      await expect(chart.locator('canvas, svg').first()).toBeVisible();
    });

    await test.step('what-if: pin A, change age, predict B', async () => {
      await endpoint.root
        .getByRole('button', { name: 'What-if: compare with changed values' })
        .click();
      const a = endpoint.root.getByTestId('scenario-A');
      const b = endpoint.root.getByTestId('scenario-B');
      await expect(a.getByTestId('contributions')).toBeVisible();
      await expect(b).toContainText('press Predict to see scenario B');
      const age = endpoint.root.getByLabel('age', { exact: true });
      const before = Number(await age.inputValue());
      await age.fill(before < 50 ? '79' : '21');
      await endpoint.root
        .getByRole('button', { name: 'Predict', exact: true })
        .click();
      await expect(b.getByTestId('predicted-label')).toHaveText(
        before < 50 ? 'yes' : 'no',
        { timeout: 30_000 }
      );
      await expect(b.getByTestId('contributions')).toBeVisible();
      const delta = endpoint.root.getByTestId('scenario-delta');
      await expect(delta).toContainText('Changed: age.');
      await expect(delta).toContainText('Probability of yes:');
      await expect(delta).toContainText(before < 50 ? '+' : '−');
      await snap(page, testInfo, 'explain-what-if', { docs: true });
      await endpoint.root
        .getByRole('button', { name: 'End comparison' })
        .click();
      await expect(b).toHaveCount(0);
    });
  });
});
