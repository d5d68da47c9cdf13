/**
 * Learning curves of SageMaker candidates (project `sagemaker`, moto and the AutoML
 * fake, see playwright.config.js): an experiment created through the API on the
 * uploaded bank data, then two candidates' details in the panel. The sagemaker backend
 * reads each candidate's per-round `[r]#011train-logloss:…#011validation-logloss:…`
 * lines from its training job's CloudWatch log stream (the fake writes them to moto
 * for every non-ensemble candidate) and runs the training rules on them. The fake's
 * candidates whose index (the `-NNN` at the end of their name) is a multiple of 3
 * overfit after round 40; the others do not.
 *
 * Nothing is stubbed. The screenshot `sagemaker-training-insight` (the overfitting
 * candidate's training section) goes to docs/images/ with UPDATE_DOCS_IMAGES=1.
 */
import { expect, test } from '../helpers/fixtures';
import type { APIRequestContext, Locator } from '@playwright/test';

import { waitForExperiment } from '../helpers/api';
import { Autopilot, ExperimentPage, snap } from '../helpers/autopilot';

/** AWS never frees AutoML job names: a fresh one per run (the server may be reused). */
const RUN = Date.now().toString(36);
const NAME = `sm-curves-${RUN}`;
const DATA = 'bank-additional/bank-additional-full.csv';
const PREFIX = `sagemaker/${NAME}/input`;

/** Delete what a failed run may have left. */
async function cleanUp(request: APIRequestContext, name: string) {
  const found = await request.get(`/autopilot/api/experiments/${name}`);
  if (found.ok()) {
    await request.post(`/autopilot/api/experiments/${name}/cleanup`, {
      data: { include_outputs: true, delete_experiment: true }
    });
  }
}

/** The fake's candidate index: the `-NNN` its name ends with. */
function indexOf(candidate: string): number {
  const match = /-(\d{3})$/.exec(candidate);
  expect(match, `${candidate} ends with its index`).not.toBeNull();
  return Number(match![1]);
}

test.describe('Learning curves of SageMaker candidates (CloudWatch logs on moto)', () => {
  test.use({ viewport: { width: 1440, height: 1100 } });

  test.afterAll(async ({ request }) => {
    await cleanUp(request, NAME);
  });

  test('an overfitting and a steady candidate: curves and findings', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);

    const { overfitting, steady } =
      await test.step('upload the bank data and run an experiment (API)', async () => {
        const uploaded = await request.post('/autopilot/api/datasets/upload', {
          data: { path: DATA, key_prefix: PREFIX }
        });
        expect(uploaded.ok()).toBe(true);
        const { uri } = await uploaded.json();
        const created = await request.post('/autopilot/api/experiments', {
          data: { name: NAME, input_uri: uri, target: 'y', max_candidates: 3 }
        });
        expect(created.status()).toBe(201);
        await waitForExperiment(request, NAME, 180_000, 2000);
        const board = (
          await (
            await request.get(`/autopilot/api/experiments/${NAME}/candidates`)
          ).json()
        ).candidates as any[];
        const completed = board.filter(c => c.status === 'Completed');
        const overfitting = completed.find(c => indexOf(c.name) % 3 === 0);
        const steady = completed.find(c => indexOf(c.name) % 3 !== 0);
        expect(overfitting, 'a candidate with index % 3 == 0').toBeDefined();
        expect(steady, 'a candidate with index % 3 != 0').toBeDefined();
        return { overfitting: overfitting.name, steady: steady.name };
      });

    /** The candidate's detail as the API answers it (what the panel must show). */
    const detailOf = async (name: string) =>
      (
        await request.get(
          `/autopilot/api/experiments/${NAME}/candidates/${name}`
        )
      ).json();

    const experiment = autopilot.experimentPage(NAME);
    await test.step('open the experiment', async () => {
      await autopilot.openExperiment(NAME);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      await expect(experiment.trials).toHaveCount(3, { timeout: 30_000 });
    });

    const overfit =
      await test.step(`${overfitting}: the learning curve and the overfitting finding`, async () => {
        const detail = await detailOf(overfitting);
        const rules = (detail.training_findings ?? []).map((f: any) => f.rule);
        expect(rules).toContain('overfitting');
        const training = await openTraining(experiment, overfitting);
        await expectLearningCurve(training, overfitting, detail);
        const list = training.getByRole('list', { name: 'Training findings' });
        const finding = list.locator('li[data-rule="overfitting"]');
        await expect(finding).toHaveCount(1);
        const f = detail.training_findings.find(
          (x: any) => x.rule === 'overfitting'
        );
        await expect(finding).toContainText(
          f.severity === 'warning'
            ? 'Warning: Overfitting'
            : 'Note: Overfitting'
        );
        // The rounds are those of the log: the validation loss turns up after 40.
        expect(f.iteration).toBeGreaterThan(30);
        expect(f.iteration).toBeLessThan(60);
        await expect(finding).toContainText(`iteration ${f.iteration}`);
        await expect(finding).toContainText(
          `The validation logloss was lowest at iteration ${f.iteration}`
        );
        await expect(finding).toContainText(`Suggestion: ${f.suggestion}`);
        await expect(training).not.toContainText(
          'No training rule fired for this candidate.'
        );
        return { training, detail };
      });

    await test.step('screenshot of its training insight', async () => {
      await overfit.training.evaluate(el =>
        el.scrollIntoView({ block: 'start' })
      );
      await snap(page, testInfo, 'sagemaker-training-insight', {
        docs: true,
        locator: overfit.training
      });
    });

    await test.step(`${steady}: the learning curve, no overfitting`, async () => {
      const detail = await detailOf(steady);
      const rules = (detail.training_findings ?? []).map((f: any) => f.rule);
      expect(rules).not.toContain('overfitting');
      const training = await openTraining(experiment, steady);
      await expectLearningCurve(training, steady, detail);
      await expect(training.locator('li[data-rule="overfitting"]')).toHaveCount(
        0
      );
      await expect(training).not.toContainText('Overfitting');
      if (!rules.length) {
        await expect(
          training.getByRole('list', { name: 'Training findings' })
        ).toHaveCount(0);
        await expect(training).toContainText(
          'No training rule fired for this candidate.'
        );
      }
    });
  });
});

/** Select a candidate on the leaderboard; its details' open "Training" section. */
async function openTraining(
  experiment: ExperimentPage,
  candidate: string
): Promise<Locator> {
  await experiment.leaderboard
    .getByRole('button', { name: candidate, exact: true })
    .click();
  const details = experiment.root.getByLabel(`Candidate ${candidate}`, {
    exact: true
  });
  await expect(details).toBeVisible({ timeout: 30_000 });
  const training = details.locator('details', {
    has: experiment.page.locator('summary', { hasText: /^Training$/ })
  });
  await expect(training).toHaveAttribute('open', '', { timeout: 30_000 });
  return training;
}

/** The logloss learning curve: heading, chart with both series, y axis, best round. */
async function expectLearningCurve(
  training: Locator,
  candidate: string,
  detail: any
): Promise<void> {
  const [curve] = detail.training_curves;
  expect(detail.training_curves).toHaveLength(1);
  expect(curve.metric).toBe('logloss');
  expect(curve.iterations[curve.iterations.length - 1]).toBe(120);
  await expect(
    training.getByRole('heading', {
      name: 'Learning curve: logloss per iteration'
    })
  ).toBeVisible();
  const chart = training.getByRole('figure', {
    name: `Training and validation logloss of ${candidate} per iteration`
  });
  const svg = chart.locator('svg').first();
  await expect(svg).toBeVisible({ timeout: 30_000 });
  const legend = svg.locator('.role-legend');
  await expect(legend).toContainText('Training');
  await expect(legend).toContainText('Validation');
  await expect(svg.locator('.mark-line.role-mark path')).toHaveCount(2);
  await expect(svg).toContainText('logloss (lower is better)');
  await expect(svg).toContainText('Iteration');
  // The round with the best validation score: a dashed rule and a point, and said
  // in words, without claiming early stopping (XGBoost logged every round).
  expect(curve.best_iteration).not.toBeNull();
  await expect(svg.locator('.mark-rule.role-mark line')).toHaveCount(1);
  await expect(svg.locator('.mark-symbol.role-mark path')).toHaveCount(1);
  await expect(training).toContainText(
    `Best validation score at iteration ${curve.best_iteration} of 120 logged by the training job.`
  );
  await expect(training).not.toContainText('Early stopping kept');
  // No row count: the log does not say how many rows the training values cover.
  await expect(training).not.toContainText('Training values measured on');
}
