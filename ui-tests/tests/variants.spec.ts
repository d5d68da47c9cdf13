/**
 * Compare and promote (production variants) and export for SageMaker, on the local
 * backend: a small experiment trained for real on generated breast-cancer-like data
 * (6 candidates, so that the top ones keep a saved model), two candidates deployed
 * behind one endpoint with a 50/50 split from the deploy dialog, requests sent through
 * the API, both variants' numbers in the endpoint view, one promoted from the view,
 * and the best candidate exported as a model.tar.gz from the candidate details.
 *
 * Nothing is stubbed. The screenshot `variants` goes to docs/images/ with
 * UPDATE_DOCS_IMAGES=1.
 */
import { expect, test } from '../helpers/fixtures';
import type { APIRequestContext } from '@playwright/test';

import { generator, removeExperiment, waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** Unique per run, so that leftovers of earlier runs never get in the way. */
const RUN = Date.now().toString(36);
const NAME = `variants-${RUN}`;
const DATA = `variants-${RUN}.csv`;
const ENDPOINT = `ab-${RUN}`;
const FEATURES = [
  'radius',
  'texture',
  'perimeter',
  'smoothness',
  'compactness',
  'concavity'
];

/** A seeded generator (mulberry32), so the data is the same on every run. */
/** Rows of six measurements, the diagnosis depending on three of them and noise. */
function rows(random: () => number, n: number): number[][] {
  return Array.from({ length: n }, () => [
    Math.round((8 + random() * 20) * 100) / 100,
    Math.round((10 + random() * 25) * 100) / 100,
    Math.round((50 + random() * 130) * 10) / 10,
    Math.round((0.05 + random() * 0.1) * 1000) / 1000,
    Math.round((0.02 + random() * 0.3) * 1000) / 1000,
    Math.round(random() * 0.4 * 1000) / 1000
  ]);
}

/** 600 rows: measurements and a diagnosis (malignant or benign). */
function trainingCsv(): string {
  const random = generator(11);
  const lines = [[...FEATURES, 'diagnosis'].join(',')];
  for (const row of rows(random, 600)) {
    const score =
      (row[0] - 18) / 6 + (row[5] - 0.2) / 0.12 + (row[1] - 22) / 15;
    const noisy = score + (random() - 0.5) * 1.5;
    lines.push([...row, noisy > 0 ? 'malignant' : 'benign'].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Names of the candidates whose model was kept (besides the best's model/). */
async function savedCandidates(
  request: APIRequestContext,
  name: string
): Promise<string[]> {
  const folder = await request.get(
    `/api/contents/autopilot/experiments/${name}/candidates?content=1`
  );
  if (!folder.ok()) {
    return [];
  }
  const saved: string[] = [];
  for (const item of (await folder.json()).content ?? []) {
    if (item.type !== 'directory') {
      continue;
    }
    const model = await request.get(
      `/api/contents/${item.path}/model.joblib?content=0`
    );
    if (model.ok()) {
      saved.push(item.name);
    }
  }
  return saved;
}

/** Delete a file and then its now-empty parent folders up to `stop` (contents API). */
async function removeFile(
  request: APIRequestContext,
  path: string,
  stop: string
): Promise<void> {
  await request.delete(`/api/contents/${path}`);
  let parent = path.split('/').slice(0, -1).join('/');
  while (parent && parent !== stop && parent.startsWith(stop)) {
    await request.delete(`/api/contents/${parent}`);
    parent = parent.split('/').slice(0, -1).join('/');
  }
}

test.describe('Compare and promote, export for SageMaker (local backend)', () => {
  test.use({ viewport: { width: 1440, height: 1100 } });

  let exportedPath: string | null = null;

  test.afterAll(async ({ request }) => {
    await request.delete(`/autopilot/api/endpoints/${ENDPOINT}`);
    await removeExperiment(request, NAME);
    await request.delete(`/api/contents/${DATA}`);
    if (exportedPath) {
      await removeFile(request, exportedPath, 'autopilot/exports');
    }
  });

  test('split traffic 50/50, compare, promote, export', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(8 * 60 * 1000);
    const autopilot = new Autopilot(page);

    const { best, second } =
      await test.step('train 6 candidates on generated data (API)', async () => {
        const put = await request.put(`/api/contents/${DATA}`, {
          data: { type: 'file', format: 'text', content: trainingCsv() }
        });
        expect(put.ok()).toBe(true);
        const created = await request.post('/autopilot/api/experiments', {
          data: {
            name: NAME,
            input_uri: DATA,
            target: 'diagnosis',
            max_candidates: 6,
            max_job_runtime_seconds: 240
          }
        });
        expect(created.status()).toBe(201);
        const experiment = await waitForExperiment(request, NAME, 300_000);
        const saved = await savedCandidates(request, NAME);
        expect(saved.length).toBeGreaterThan(0);
        const list = await (
          await request.get(`/autopilot/api/experiments/${NAME}/candidates`)
        ).json();
        // The dialog's default second variant: the best-ranked other candidate.
        const ranked = list.candidates
          .filter((c: any) => c.status === 'Completed' && !c.is_best)
          .sort((a: any, b: any) => (a.rank ?? 99) - (b.rank ?? 99));
        const next = ranked[0]?.name as string;
        testInfo.annotations.push({
          type: 'saved models',
          description: `best ${experiment.best_candidate.name}; saved ${saved.join(', ')}; next-ranked ${next}`
        });
        return {
          best: experiment.best_candidate.name as string,
          second: saved.includes(next) ? next : saved[0]
        };
      });

    await test.step('deploy two candidates 50/50 from the dialog', async () => {
      const experiment = await autopilot.openExperiment(NAME);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      await experiment.button('Deploy').click();
      const dialog = autopilot.dialog;
      await expect(
        dialog.getByText(`Deploy a model from ${NAME}`)
      ).toBeVisible();
      await dialog
        .getByRole('checkbox', {
          name: 'Split traffic between candidates (A/B test)'
        })
        .check();
      const split = dialog.getByRole('table', { name: 'Traffic split' });
      await expect(split.locator('tbody tr')).toHaveCount(2);
      // Defaults: the best and the next-ranked candidate, 50/50, variant-1 and -2.
      await expect(dialog.getByLabel('Candidate of variant 1')).toHaveValue(
        best
      );
      await expect(dialog.getByLabel('Weight of variant 1')).toHaveValue('50');
      await expect(dialog.getByLabel('Weight of variant 2')).toHaveValue('50');
      await expect(dialog.getByLabel('Name of variant 1')).toHaveValue(
        'variant-1'
      );
      await expect(dialog.getByLabel('Name of variant 2')).toHaveValue(
        'variant-2'
      );
      await expect(split.locator('tbody tr').first()).toContainText('50%');
      const deploy = dialog.getByRole('button', { name: 'Deploy' });

      // What to fix: all weights 0, the same candidate twice.
      await dialog.getByLabel('Weight of variant 1').fill('0');
      await dialog.getByLabel('Weight of variant 2').fill('0');
      await expect(
        dialog.getByText(
          'At least one variant needs a weight above 0 to get traffic.'
        )
      ).toBeVisible();
      await expect(deploy).toBeDisabled();
      await dialog.getByLabel('Weight of variant 1').fill('50');
      await dialog.getByLabel('Weight of variant 2').fill('50');
      await dialog.getByLabel('Candidate of variant 2').selectOption(best);
      await expect(
        dialog.getByText(
          `Variant 2: ${best} is already variant 1; pick each candidate once.`
        )
      ).toBeVisible();
      await expect(deploy).toBeDisabled();
      await dialog.getByLabel('Candidate of variant 2').selectOption(second);
      await expect(deploy).toBeEnabled();

      await dialog.getByLabel('Endpoint name').fill(ENDPOINT);
      await snap(page, testInfo, 'variants-dialog', {
        locator: dialog.locator('.jp-Dialog-content')
      });
      await deploy.click();
      const progress = page.locator('.jp-Dialog', {
        hasText: `Deploying ${ENDPOINT}`
      });
      await expect(progress).toContainText('Production variants: variant-1');
      await expect(
        progress.getByText('In service.', { exact: false })
      ).toBeVisible({ timeout: 120_000 });
      await progress.getByRole('button', { name: 'Open endpoint' }).click();
      const endpoint = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
      ).json();
      expect(
        endpoint.variants.map((v: any) => [v.name, v.candidate, v.weight])
      ).toEqual([
        ['variant-1', best, 50],
        ['variant-2', second, 50]
      ]);
    });

    const view = autopilot.endpointPage(ENDPOINT);
    const section = view.root.locator('.jp-AutopilotVariants');
    const table = section.getByRole('table', { name: 'Production variants' });

    const served =
      await test.step('send 24 requests (API); both variants answer', async () => {
        const counts: Record<string, number> = {};
        const sample = rows(generator(5), 24);
        for (const row of sample) {
          const response = await request.post(
            `/autopilot/api/endpoints/${ENDPOINT}/invocations`,
            {
              data: row.join(','),
              headers: { 'Content-Type': 'text/csv' }
            }
          );
          expect(response.ok()).toBe(true);
          const variant = response.headers()['x-autopilot-invoked-variant'];
          expect(['variant-1', 'variant-2']).toContain(variant);
          counts[variant] = (counts[variant] ?? 0) + 1;
        }
        expect(Object.keys(counts).sort()).toEqual(['variant-1', 'variant-2']);
        return counts;
      });

    await test.step('the view compares the variants side by side', async () => {
      await expect(view.badge).toHaveText('In service');
      await view.root.getByRole('button', { name: 'Refresh' }).first().click();
      for (const name of ['variant-1', 'variant-2']) {
        const row = table.locator(`tbody tr[data-variant="${name}"]`);
        await expect(row.getByTestId('invocations')).toContainText(
          String(served[name]),
          { timeout: 15_000 }
        );
        await expect(row.getByTestId('traffic-share')).toHaveText('50%');
        await expect(row).toContainText(/\d+\.\d ms/);
      }
      await expect(
        table.locator('tbody tr[data-variant="variant-1"]')
      ).toContainText(best);
      // The better validation objective is marked (unless both are equal).
      const described = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
      ).json();
      const [a, b] = described.variants.map((v: any) => v.objective_value);
      await expect(table.locator('.jp-AutopilotVariants-best')).toHaveCount(
        a === b ? 0 : 1
      );
      const metrics = section.getByRole('table', {
        name: 'Validation metrics of the variants'
      });
      await expect(metrics.locator('tbody tr').first()).toBeVisible();
      await section.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'variants', { docs: true });
    });

    await test.step('the Predict result names the variant that answered', async () => {
      await view.predictSampleRow(1);
      await expect(view.root.getByTestId('served-by')).toHaveText(
        /^Served by variant variant-[12] \(candidate .+\)$/,
        { timeout: 30_000 }
      );
    });

    await test.step('edit a weight: the new share shows before saving', async () => {
      const weight = table.getByLabel('Weight of variant-1');
      await weight.fill('3');
      await expect(
        table.locator('tbody tr[data-variant="variant-1"]')
      ).toContainText('after saving: 6%');
      await expect(section.getByText('Not saved')).toBeVisible();
      await section.getByRole('button', { name: 'Reset' }).click();
      await expect(weight).toHaveValue('50');
    });

    await test.step('promote variant-2 from the view', async () => {
      await section.getByRole('button', { name: 'Promote variant-2' }).click();
      const confirm = autopilot.dialog;
      await expect(confirm.getByText('Promote variant-2?')).toBeVisible();
      await confirm.getByRole('button', { name: 'Promote' }).click();
      await expect(
        section.getByText('variant-2 now gets all the traffic.')
      ).toBeVisible();
      const row2 = table.locator('tbody tr[data-variant="variant-2"]');
      await expect(row2.getByTestId('traffic-share')).toHaveText('100%');
      await expect(
        section.getByRole('button', { name: 'Promote variant-2' })
      ).toBeDisabled();
      const endpoint = await (
        await request.get(`/autopilot/api/endpoints/${ENDPOINT}`)
      ).json();
      const shares = Object.fromEntries(
        endpoint.variants.map((v: any) => [v.name, v.traffic_share])
      );
      expect(shares).toEqual({ 'variant-1': 0, 'variant-2': 1 });
    });

    await test.step('export the best candidate for SageMaker', async () => {
      await autopilot.activateTab(NAME);
      const experiment = autopilot.experimentPage(NAME);
      const details = experiment.root.getByLabel(`Candidate ${best}`, {
        exact: true
      });
      await details
        .getByRole('button', { name: 'Export for SageMaker' })
        .click();
      const result = details.getByRole('group', {
        name: 'Export for SageMaker'
      });
      await expect(result).toBeVisible({ timeout: 60_000 });
      await expect(result).toContainText(
        `Candidate ${best} is exported for SageMaker’s scikit-learn image.`
      );
      await expect(result).toContainText('ap.deploy_artifact(');
      const path =
        (await result.getByTestId('export-path').textContent()) ?? '';
      expect(path).toMatch(/\.tar\.gz$/);
      exportedPath = path;
      const file = await request.get(`/api/contents/${path}?content=0`);
      expect(file.ok()).toBe(true);
      const model = await file.json();
      expect(model.type).toBe('file');
      expect(model.size).toBeGreaterThan(1000);
      await result.evaluate(el => el.scrollIntoView({ block: 'center' }));
      await snap(page, testInfo, 'variants-export');
      // Reveal: the file browser opens the folder and selects the archive.
      await result
        .getByRole('button', { name: 'Show in file browser' })
        .click();
      await expect(autopilot.fileItem('model.tar.gz')).toBeVisible();
    });
  });
});
