/**
 * The "Experiments and trials" view (SageMaker Studio's Experiments page): two
 * small experiments trained for real on generated data, listed together live,
 * sorted by a metric, filtered by experiment, two trials compared side by side,
 * three charts, and the listed trials exported as CSV into the Jupyter root.
 */
import { galata, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { APIRequestContext, Locator } from '@playwright/test';

import { expect, test } from '../helpers/fixtures';
import { fixture, removeExperiment, routeApi, summaryOf } from '../helpers/api';
import { snap } from '../helpers/autopilot';

/** Unique per run, so that experiments of earlier runs never match the search. */
const RUN = Date.now().toString(36);
const EXP_A = `trials-a-${RUN}`;
const EXP_B = `trials-b-${RUN}`;
const DATA_DIR = `trials-data-${RUN}`;

/** A small binary-classification CSV from a seeded generator (mulberry32). */
function classificationCsv(seed: number, rows: number): string {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const lines = ['age,balance,channel,y'];
  const channels = ['web', 'phone', 'branch'];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(random() * 60);
    const balance = Math.round(random() * 5000);
    const channel = channels[Math.floor(random() * channels.length)];
    const score =
      (age - 40) / 20 +
      (balance - 2500) / 1500 +
      (channel === 'web' ? 0.7 : 0) +
      (random() - 0.5) * 1.5;
    lines.push(`${age},${balance},${channel},${score > 0.2 ? 'yes' : 'no'}`);
  }
  return lines.join('\n') + '\n';
}

/** Write a text file under the Jupyter root through the contents API. */
async function putFile(
  request: APIRequestContext,
  path: string,
  content: string
): Promise<void> {
  const response = await request.put(`/api/contents/${path}`, {
    data: { type: 'file', format: 'text', content }
  });
  expect(response.ok()).toBe(true);
}

/** Wait until the experiments have ended (through the API). */
async function waitForExperiments(
  request: APIRequestContext,
  names: string[],
  timeout: number
): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const statuses = await Promise.all(
      names.map(async name => {
        const response = await request.get(
          `/autopilot/api/experiments/${name}`
        );
        return (await response.json()).status as string;
      })
    );
    if (
      statuses.every(s => !['Queued', 'InProgress', 'Stopping'].includes(s))
    ) {
      expect(statuses).toEqual(names.map(() => 'Completed'));
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Experiments still running: ${statuses.join(', ')}`);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/** Run a command from the command palette, as a user would. */
async function runFromPalette(
  page: IJupyterLabPageFixture,
  label: string
): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.locator('#modal-command-palette');
  await expect(palette).toBeVisible();
  await palette.locator('.lm-CommandPalette-input').fill(label);
  const item = palette.locator('.lm-CommandPalette-item', {
    hasText: label
  });
  await expect(item.first()).toBeVisible();
  await item.first().click();
}

/** Numbers of a column of the trials table, top to bottom ('–' = null). */
async function columnValues(
  table: Locator,
  column: string
): Promise<Array<number | null>> {
  const index = await table
    .locator('thead th')
    .evaluateAll(
      (cells, id) =>
        cells.findIndex(cell => cell.getAttribute('data-column') === id),
      column
    );
  expect(index).toBeGreaterThan(0);
  return table.locator('tbody tr').evaluateAll(
    (rows, i) =>
      rows.map(row => {
        const text = (row.children[i as number].textContent ?? '').trim();
        return text === '–' ? null : Number(text);
      }),
    index
  );
}

test.describe('Experiments and trials', () => {
  test.use({ viewport: { width: 1440, height: 1300 } });

  let exported: string | null = null;

  test.afterAll(async ({ request }) => {
    for (const name of [EXP_A, EXP_B]) {
      await removeExperiment(request, name);
    }
    if (exported) {
      await request.delete(`/api/contents/${exported}`);
    }
    for (const file of ['a.csv', 'b.csv']) {
      await request.delete(`/api/contents/${DATA_DIR}/${file}`);
    }
    await request.delete(`/api/contents/${DATA_DIR}`);
  });

  test('lists, sorts, filters, compares, charts and exports the trials of two experiments', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(6 * 60 * 1000);

    await test.step('create two small experiments through the API', async () => {
      const dir = await request.put(`/api/contents/${DATA_DIR}`, {
        data: { type: 'directory' }
      });
      expect(dir.ok()).toBe(true);
      await putFile(request, `${DATA_DIR}/a.csv`, classificationCsv(7, 240));
      await putFile(request, `${DATA_DIR}/b.csv`, classificationCsv(11, 240));
      for (const [name, file] of [
        [EXP_A, 'a.csv'],
        [EXP_B, 'b.csv']
      ]) {
        const created = await request.post('/autopilot/api/experiments', {
          data: {
            name,
            input_uri: `${DATA_DIR}/${file}`,
            target: 'y',
            max_candidates: 3,
            max_job_runtime_seconds: 60
          }
        });
        expect(created.status()).toBe(201);
      }
    });

    const view = page.locator('.jp-AutopilotTrials:visible');
    const table = view.getByRole('table', {
      name: 'Trials of all experiments'
    });
    const rows = table.locator('tbody tr');

    await test.step('open the view from the command palette', async () => {
      await runFromPalette(page, 'Open Experiments and Trials');
      await expect(
        view.getByRole('heading', { name: 'Experiments and trials', level: 2 })
      ).toBeVisible();
      await expect(
        page
          .locator('#jp-main-dock-panel')
          .getByRole('tab', { name: 'Experiments and trials' })
      ).toBeVisible();
    });

    await test.step('both experiments train: their trials appear live', async () => {
      await view.getByLabel('Search trials').fill(RUN);
      // Polling: rows show up without a click while the experiments run.
      await expect(rows.first()).toBeVisible({ timeout: 120_000 });
      await waitForExperiments(request, [EXP_A, EXP_B], 180_000);
      const listed = await (
        await request.get(`/autopilot/api/trials?search=${RUN}`)
      ).json();
      expect(listed.experiments).toEqual([EXP_A, EXP_B]);
      await expect(rows).toHaveCount(listed.total, { timeout: 30_000 });
      await expect(rows.locator('.jp-Autopilot-spinner')).toHaveCount(0, {
        timeout: 30_000
      });
      for (const name of [EXP_A, EXP_B]) {
        await expect(
          table.locator(`tbody tr[data-experiment="${name}"]`).first()
        ).toBeVisible();
        // The best trial of each experiment is marked.
        await expect(
          table
            .locator(`tbody tr[data-experiment="${name}"]`)
            .locator('.jp-Autopilot-bestMark')
        ).toHaveCount(1);
      }
      await expect(view.getByTestId('trials-count')).toContainText(
        '2 experiments'
      );
      await expect(
        table.getByRole('columnheader', { name: /learning_rate/ })
      ).toBeVisible();
    });

    await test.step('sort by a metric column (best first, then reversed)', async () => {
      const f1 = table.getByRole('button', { name: 'F1', exact: true });
      await f1.click();
      await expect(
        table.locator('thead th[data-column="metric:F1"]')
      ).toHaveAttribute('aria-sort', 'descending');
      let values = await columnValues(table, 'metric:F1');
      let present = values.filter((v): v is number => v !== null);
      expect(present.length).toBeGreaterThan(2);
      expect(present).toEqual([...present].sort((a, b) => b - a));
      // Keyboard: Enter on the focused header reverses the order.
      await f1.focus();
      await page.keyboard.press('Enter');
      await expect(
        table.locator('thead th[data-column="metric:F1"]')
      ).toHaveAttribute('aria-sort', 'ascending');
      values = await columnValues(table, 'metric:F1');
      present = values.filter((v): v is number => v !== null);
      expect(present).toEqual([...present].sort((a, b) => a - b));
      // LogLoss is minimised: its first click sorts smallest first.
      await table.getByRole('button', { name: 'LogLoss', exact: true }).click();
      await expect(
        table.locator('thead th[data-column="metric:LogLoss"]')
      ).toHaveAttribute('aria-sort', 'ascending');
    });

    await test.step('filter by one experiment', async () => {
      const total = await rows.count();
      const picker = view.getByLabel('Experiments: All experiments');
      await picker.click();
      await view.getByRole('checkbox', { name: EXP_A, exact: true }).check();
      await page.keyboard.press('Escape');
      await expect(view.getByLabel(`Experiments: ${EXP_A}`)).toBeVisible();
      const onlyA = table.locator(`tbody tr[data-experiment="${EXP_A}"]`);
      const countA = await onlyA.count();
      expect(countA).toBeGreaterThan(0);
      await expect(rows).toHaveCount(countA);
      expect(countA).toBeLessThan(total);
      await expect(view.getByTestId('trials-count')).toContainText(
        '1 experiment'
      );
      // Back to both.
      await view.getByLabel(`Experiments: ${EXP_A}`).click();
      await view
        .getByRole('checkbox', { name: 'All experiments', exact: true })
        .check();
      await page.keyboard.press('Escape');
      await expect(rows).toHaveCount(total);
    });

    await test.step('select two trials and compare them side by side', async () => {
      const first = table
        .locator(`tbody tr[data-experiment="${EXP_A}"]`)
        .first();
      const second = table
        .locator(`tbody tr[data-experiment="${EXP_B}"]`)
        .first();
      const nameA = (await first.getAttribute('data-trial'))!.split('/')[1];
      const nameB = (await second.getAttribute('data-trial'))!.split('/')[1];
      const compare = view.getByRole('button', {
        name: 'Compare',
        exact: true
      });
      await expect(compare).toBeDisabled();
      await first
        .getByRole('checkbox', { name: `Select ${nameA} of ${EXP_A}` })
        .check();
      await second
        .getByRole('checkbox', { name: `Select ${nameB} of ${EXP_B}` })
        .check();
      await expect(first).toHaveAttribute('aria-selected', 'true');
      await compare.click();
      const comparison = view.getByRole('table', { name: 'Trial comparison' });
      await expect(comparison).toBeVisible();
      await expect(comparison.locator('thead th')).toHaveCount(3);
      await expect(comparison.locator('thead')).toContainText(EXP_A);
      await expect(comparison.locator('thead')).toContainText(EXP_B);
      // Different experiments: that row is flagged.
      await expect(
        comparison.locator('tr[data-row="field:experiment"]')
      ).toHaveClass(/jp-mod-differs/);
      await expect(
        comparison.locator('tr[data-row="metric:F1"]')
      ).toBeVisible();
      await expect(
        comparison.getByRole('rowheader', { name: /^F1/ })
      ).toContainText('higher is better');
      // "Only differences" hides rows whose values are equal.
      const before = await comparison.locator('tbody tr').count();
      await view.getByRole('checkbox', { name: 'Only differences' }).check();
      await expect(
        comparison.locator('tr[data-row="field:status"]')
      ).toHaveCount(0);
      expect(await comparison.locator('tbody tr').count()).toBeLessThan(before);
      await view.getByRole('checkbox', { name: 'Only differences' }).uncheck();
    });

    await test.step('the three charts render', async () => {
      for (const chart of [
        'objective-over-time',
        'metric-scatter',
        'parallel-coordinates'
      ]) {
        const box = view.locator(`[data-chart="${chart}"]`);
        await box.scrollIntoViewIfNeeded();
        await expect(box.locator('.jp-Autopilot-chartCanvas svg')).toBeVisible({
          timeout: 30_000
        });
        await expect(box.getByRole('alert')).toHaveCount(0);
      }
      // Both experiments are in the legend of the objective chart.
      const timeline = view.locator(
        '[data-chart="objective-over-time"] .jp-Autopilot-chartCanvas svg'
      );
      await expect(timeline).toContainText(EXP_A);
      await expect(timeline).toContainText(EXP_B);
      // Another hyperparameter for the scatter plot.
      const scatter = view.locator('[data-chart="metric-scatter"]');
      const picker = scatter.getByLabel('Chart hyperparameter');
      const current = await picker.inputValue();
      const other = (
        await picker
          .locator('option')
          .evaluateAll(options =>
            options.map(o => (o as HTMLOptionElement).value)
          )
      ).find(value => value !== current)!;
      await picker.selectOption(other);
      await expect(scatter.getByRole('heading', { level: 5 })).toHaveText(
        `F1 by ${other}`
      );
      await expect(
        scatter.locator('.jp-Autopilot-chartCanvas svg')
      ).toContainText(other);
      await expect(
        view.locator(
          '[data-chart="parallel-coordinates"] .jp-Autopilot-chartCanvas svg'
        )
      ).toContainText('F1');
    });

    await snap(page, testInfo, 'trials-charts', {
      locator: view.locator('.jp-AutopilotTrials-charts')
    });

    await test.step('screenshot for the README', async () => {
      await view.evaluate(node => node.scrollTo(0, 0));
      await snap(page, testInfo, 'trials', { docs: true });
    });

    await test.step('export the listed trials as CSV', async () => {
      await view.getByRole('button', { name: 'Export CSV' }).click();
      const notice = view.locator('.jp-AutopilotTrials-exported');
      await expect(notice).toContainText(
        /Exported \d+ trials to autopilot-trials(-\d+)?\.csv/
      );
      const text = (await notice.textContent()) ?? '';
      exported = /autopilot-trials(-\d+)?\.csv/.exec(text)![0];
      const file = await request.get(`/api/contents/${exported}?content=1`);
      expect(file.ok()).toBe(true);
      const csv = (await file.json()).content as string;
      const lines = csv.trim().split('\n');
      expect(lines[0]).toMatch(/^experiment,name,status,algorithm,/);
      expect(lines[0]).toContain('validation:F1');
      expect(lines[0]).toContain('hp:learning_rate');
      expect(lines.length - 1).toBe(await rows.count());
      expect(csv).toContain(EXP_A);
      expect(csv).toContain(EXP_B);
      // Offered to open it.
      await notice.getByRole('button', { name: `Open ${exported}` }).click();
      await expect(
        page.locator('#jp-main-dock-panel').getByRole('tab', { name: exported })
      ).toBeVisible();
    });

    await test.step('a trial name opens its experiment', async () => {
      await page
        .locator('#jp-main-dock-panel')
        .getByRole('tab', { name: 'Experiments and trials' })
        .click();
      await table
        .locator(`tbody tr[data-experiment="${EXP_B}"]`)
        .first()
        .getByRole('button', { name: /-t\d+$/ })
        .click();
      await expect(
        page
          .locator('.jp-AutopilotExperiment:visible')
          .getByRole('heading', { name: EXP_B, level: 2 })
      ).toBeVisible();
    });
  });

  test.describe('stubbed', () => {
    // The app starts once, after the stubs (page.goto()), not once before and once after.
    test.use({ startApp: false });

    test('explains how to get trials when there are none (stubbed empty lists)', async ({
      page
    }) => {
      // STUB: a server without experiments (the shared test server has some).
      await routeApi(page, 'experiments', route =>
        route.request().method() === 'GET'
          ? route.fulfill({ json: { experiments: [], total: 0 } })
          : route.fallback()
      );
      await routeApi(page, 'trials', route =>
        route.fulfill({
          json: {
            trials: [],
            total: 0,
            experiments: [],
            hyperparameter_names: [],
            metric_names: []
          }
        })
      );
      await page.goto();
      // The sidebar's button opens the view too.
      await page.getByRole('tab', { name: 'Autopilot experiments' }).click();
      await page
        .locator('#jp-autopilot-sidebar')
        .getByRole('button', { name: 'Open experiments and trials' })
        .click();
      const view = page.locator('.jp-AutopilotTrials:visible');
      await expect(
        view.getByText('No experiments yet, so no trials')
      ).toBeVisible();
      await expect(
        view.getByText('Create an experiment on a CSV file (a complete run).')
      ).toBeVisible();
      await view.getByRole('button', { name: 'Create experiment' }).click();
      await expect(page.locator('.jp-AutopilotCreate:visible')).toBeVisible();
    });
  });

  test.describe('dark theme', () => {
    test.use({
      // The test starts the app once, after its stubs (page.goto()).
      startApp: false,
      mockSettings: {
        ...galata.DEFAULT_SETTINGS,
        '@jupyterlab/apputils-extension:themes': { theme: 'JupyterLab Dark' }
      }
    });

    test('table, comparison and charts follow the theme (stubbed trials)', async ({
      page
    }, testInfo) => {
      // STUB: the trials of two experiments recorded from a real local server
      // (a classification and a regression), so that no training is needed.
      const trials = fixture('trials');
      const base = summaryOf(fixture('experiment'));
      const experiments = trials.experiments.map((name: string) => ({
        ...base,
        name
      }));
      await routeApi(page, 'experiments', route =>
        route.request().method() === 'GET'
          ? route.fulfill({
              json: { experiments, total: experiments.length }
            })
          : route.fallback()
      );
      await routeApi(page, 'trials', route => route.fulfill({ json: trials }));
      await page.goto();
      await expect(page.locator('body')).toHaveAttribute(
        'data-jp-theme-light',
        'false'
      );
      await runFromPalette(page, 'Open Experiments and Trials');
      const view = page.locator('.jp-AutopilotTrials:visible');
      const table = view.getByRole('table', {
        name: 'Trials of all experiments'
      });
      await expect(table.locator('tbody tr')).toHaveCount(trials.trials.length);
      // Regression trials have no F1: sorting by it puts them last.
      await table.getByRole('button', { name: 'F1', exact: true }).click();
      await expect(table.locator('tbody tr').last()).toHaveAttribute(
        'data-experiment',
        'canned-regression'
      );
      await table
        .getByRole('checkbox', {
          name: 'Select lightgbm-trees-t001 of canned-classification'
        })
        .check();
      await table
        .getByRole('checkbox', {
          name: 'Select lightgbm-trees-t001 of canned-regression'
        })
        .check();
      await view.getByRole('button', { name: 'Compare', exact: true }).click();
      const comparison = view.getByRole('table', { name: 'Trial comparison' });
      // F1 against MSE: objectives of different metrics are not ranked.
      await expect(
        comparison.locator('tr[data-row="field:objective"] .jp-mod-bestValue')
      ).toHaveCount(0);
      await expect(
        comparison.locator('tr[data-row="field:objective_metric"]')
      ).toHaveClass(/jp-mod-differs/);

      const background = await view.evaluate(
        el => getComputedStyle(el).backgroundColor
      );
      const luminance = (rgb: string) => {
        const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0'])
          .slice(0, 3)
          .map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      expect(luminance(background)).toBeLessThan(0.25);
      const parallel = view.locator(
        '[data-chart="parallel-coordinates"] .jp-Autopilot-chartCanvas svg'
      );
      await parallel.scrollIntoViewIfNeeded();
      await expect(parallel).toBeVisible({ timeout: 30_000 });
      // The tick labels of the axes are drawn in the theme's (light) text colour.
      const fill = await parallel
        .locator('g.mark-text.role-mark text')
        .first()
        .getAttribute('fill');
      const rgb = await page.evaluate(c => {
        const probe = document.createElement('span');
        probe.style.color = c as string;
        document.body.appendChild(probe);
        const value = getComputedStyle(probe).color;
        probe.remove();
        return value;
      }, fill);
      expect(luminance(rgb)).toBeGreaterThan(0.5);
      for (const chart of ['objective-over-time', 'metric-scatter']) {
        await expect(
          view.locator(`[data-chart="${chart}"] .jp-Autopilot-chartCanvas svg`)
        ).toBeVisible();
      }
      await snap(page, testInfo, 'trials-dark');
    });
  });
});
