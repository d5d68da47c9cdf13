/**
 * Training insight (SageMaker Debugger's core) on the local backend: a small
 * experiment trained for real on generated, strongly imbalanced data (8 % of the rows
 * are "rare", with a weak signal, and AUC as the objective, so the models mostly
 * predict "common"), the leaderboard's ⚠ on flagged trials, and a boosting trial's
 * details: its learning curve (training and validation per iteration, the iteration
 * early stopping kept) and its findings as notices.
 *
 * Nothing is stubbed. Which rules fire depends on the run, so the test reads the
 * candidates' `training_flags` and `training_findings` from the API and checks that
 * the panel shows exactly those. The screenshot `training-insight` goes to
 * docs/images/ with UPDATE_DOCS_IMAGES=1.
 */
import { expect, test } from '../helpers/fixtures';

import { generator, removeExperiment, waitForExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** Unique per run, so that leftovers of earlier runs never get in the way. */
const RUN = Date.now().toString(36);
const NAME = `training-${RUN}`;
const DATA = `training-${RUN}.csv`;
const BOOSTING = ['lightgbm', 'xgboost'];
/** The rule names as the panel shows them (CandidateDetails.trainingRuleTitle). */
const RULE_TITLES: Record<string, string> = {
  overfitting: 'Overfitting',
  stalled_training: 'Stalled training',
  class_imbalance: 'Class imbalance'
};

/** A seeded generator (mulberry32), so the data is the same on every run. */
/** A standard normal draw (Box-Muller). */
function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * 1,000 rows of three features; the 8 % with the highest noisy score of `a` are
 * "rare", the rest "common" (tests/engine/test_training_insight.py's data).
 */
function trainingCsv(): string {
  const random = generator(3);
  const rows = Array.from({ length: 1000 }, () => {
    const [a, b, c] = [normal(random), normal(random), normal(random)];
    return { a, b, c, score: 0.6 * a + normal(random) };
  });
  const sorted = rows.map(r => r.score).sort((x, y) => x - y);
  const threshold = sorted[Math.floor(0.92 * sorted.length)];
  const lines = ['a,b,c,label'];
  for (const r of rows) {
    const label = r.score >= threshold ? 'rare' : 'common';
    lines.push([r.a, r.b, r.c].map(v => v.toFixed(4)).join(',') + `,${label}`);
  }
  return lines.join('\n') + '\n';
}

test.describe('Training insight (local backend)', () => {
  test.use({ viewport: { width: 1440, height: 1100 } });

  test.afterAll(async ({ request }) => {
    await removeExperiment(request, NAME);
    await request.delete(`/api/contents/${DATA}`);
  });

  test('learning curve, iteration kept, findings and leaderboard flags', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(5 * 60 * 1000);
    const autopilot = new Autopilot(page);

    const { board, boosting } =
      await test.step('train a small experiment on imbalanced data (API)', async () => {
        const put = await request.put(`/api/contents/${DATA}`, {
          data: { type: 'file', format: 'text', content: trainingCsv() }
        });
        expect(put.ok()).toBe(true);
        const created = await request.post('/autopilot/api/experiments', {
          data: {
            name: NAME,
            input_uri: DATA,
            target: 'label',
            // No threshold tuning: argmax mostly ignores "rare".
            objective_metric: 'AUC',
            max_candidates: 4,
            max_job_runtime_seconds: 60
          }
        });
        expect(created.status()).toBe(201);
        await waitForExperiment(request, NAME, 180_000);
        const board = (
          await (
            await request.get(`/autopilot/api/experiments/${NAME}/candidates`)
          ).json()
        ).candidates as any[];
        // A completed boosting trial with a curve: one with findings and an
        // iteration kept after the first if there is one.
        const details: any[] = [];
        for (const c of board) {
          if (c.status !== 'Completed' || !BOOSTING.includes(c.algorithm)) {
            continue;
          }
          const detail = await (
            await request.get(
              `/autopilot/api/experiments/${NAME}/candidates/${c.name}`
            )
          ).json();
          if (detail.training_curves?.length) {
            details.push(detail);
          }
        }
        expect(details.length).toBeGreaterThan(0);
        const boosting =
          details.find(
            d =>
              d.training_findings?.length &&
              d.training_curves[0].best_iteration > 1
          ) ??
          details.find(d => d.training_findings?.length) ??
          details[0];
        testInfo.annotations.push({
          type: 'training insight',
          description: board
            .map(
              c =>
                `${c.name} (${c.algorithm}): ${(c.training_flags ?? []).join(', ') || 'no flags'}`
            )
            .join('; ')
        });
        return { board, boosting };
      });

    const experiment = autopilot.experimentPage(NAME);

    await test.step('the leaderboard marks the flagged trials with ⚠', async () => {
      await autopilot.openExperiment(NAME);
      await expect(experiment.badge).toHaveText('Completed', {
        timeout: 30_000
      });
      await expect(experiment.trials).toHaveCount(board.length);
      for (const c of board) {
        const row = experiment.leaderboard.locator(
          `tbody tr[data-candidate="${c.name}"]`
        );
        const mark = row.locator('.jp-Autopilot-hintWarning');
        const flags: string[] = c.training_flags ?? [];
        if (!flags.length) {
          await expect(mark).toHaveCount(0);
          continue;
        }
        await expect(mark).toHaveText('⚠');
        await expect(mark).toHaveAttribute('data-flags', flags.join(' '));
        await expect(mark).toHaveAttribute(
          'aria-label',
          `Training warnings: ${flags.map(f => RULE_TITLES[f] ?? f).join(', ')}`
        );
      }
    });

    const details = experiment.root.getByLabel(`Candidate ${boosting.name}`, {
      exact: true
    });
    const training = details.locator('details', {
      has: page.locator('summary', { hasText: /^Training$/ })
    });

    await test.step(`open ${boosting.name}: its learning curve`, async () => {
      await experiment.leaderboard
        .getByRole('button', { name: boosting.name, exact: true })
        .click();
      await expect(details).toBeVisible();
      await expect(training).toHaveAttribute('open', '');
      const curve = boosting.training_curves[0];
      await expect(
        training.getByRole('heading', {
          name: `Learning curve: ${curve.metric} per iteration`
        })
      ).toBeVisible();
      const chart = training.getByRole('figure', {
        name: `Training and validation ${curve.metric} of ${boosting.name} per iteration`
      });
      const svg = chart.locator('svg').first();
      await expect(svg).toBeVisible({ timeout: 30_000 });
      // Two series in the legend, training and validation, drawn as two lines.
      const legend = svg.locator('.role-legend');
      await expect(legend).toContainText('Training');
      await expect(legend).toContainText('Validation');
      await expect(svg.locator('.mark-line.role-mark path')).toHaveCount(2);
      // The y axis says what is better.
      await expect(svg).toContainText(
        `${curve.metric} (${curve.goal === 'maximize' ? 'higher' : 'lower'} is better)`
      );
      // The iteration kept: a dashed rule and a point, and said in words.
      expect(curve.best_iteration).not.toBeNull();
      await expect(svg.locator('.mark-rule.role-mark line')).toHaveCount(1);
      await expect(svg.locator('.mark-symbol.role-mark path')).toHaveCount(1);
      const last = curve.iterations[curve.iterations.length - 1];
      await expect(training).toContainText(
        `Early stopping kept iteration ${curve.best_iteration} of ${last}.`
      );
      await expect(training).toContainText(
        `Training values measured on ${curve.train_rows} training rows.`
      );
    });

    await test.step('its findings, exactly as the API reports them', async () => {
      const findings: any[] = boosting.training_findings ?? [];
      const list = training.getByRole('list', { name: 'Training findings' });
      if (!findings.length) {
        await expect(list).toHaveCount(0);
        await expect(training).toContainText(
          'No training rule fired for this candidate.'
        );
      } else {
        await expect(list.getByRole('listitem')).toHaveCount(findings.length);
        for (const [i, f] of findings.entries()) {
          const item = list.getByRole('listitem').nth(i);
          await expect(item).toHaveAttribute('data-rule', f.rule);
          await expect(item).toHaveAttribute('data-severity', f.severity);
          const title = RULE_TITLES[f.rule] ?? f.rule;
          await expect(item).toContainText(
            f.severity === 'warning' ? `Warning: ${title}` : `Note: ${title}`
          );
          await expect(item).toContainText(f.message);
          await expect(item).toContainText(`Suggestion: ${f.suggestion}`);
          if (f.iteration !== null && f.iteration !== undefined) {
            await expect(item).toContainText(`iteration ${f.iteration}`);
          }
        }
      }
      await training.evaluate(el => el.scrollIntoView({ block: 'start' }));
      await snap(page, testInfo, 'training-insight', { docs: true });
    });
  });
});
