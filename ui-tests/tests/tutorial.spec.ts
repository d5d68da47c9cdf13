/**
 * "Try the tutorial" as a new user meets it (project `tutorial`): a server whose
 * root starts empty, with no data and no experiments (AUTOPILOT_UI_FRESH_ROOT=1).
 * One click in the empty sidebar copies the bank-marketing data shipped with the
 * extension under the root and opens the wizard on it, target `y` chosen and the
 * `duration` leak flagged; the run then starts. The launcher does the same, and a
 * file of the user's with that name is never overwritten. Nothing is stubbed.
 */
import { expect, test } from '../helpers/fixtures';

import { removeExperiment } from '../helpers/api';
import { Autopilot, CreateWizard, snap } from '../helpers/autopilot';

const DATA = 'bank-additional/bank-additional-full.csv';
const TRY = 'Try the tutorial (bank marketing)';

// The tests run in order on one server: the first needs its empty root.
test.describe.configure({ mode: 'serial' });

test.describe('Try the tutorial', () => {
  let started: string | null = null;

  test.afterAll(async ({ request }) => {
    if (started) {
      await removeExperiment(request, started);
    }
  });

  test('from the empty sidebar to a running experiment in one click', async ({
    page,
    request
  }, testInfo) => {
    test.setTimeout(3 * 60 * 1000);
    const autopilot = new Autopilot(page);
    // A new user's root: no data in it (Galata adds a folder per test).
    const root = await (await request.get('/api/contents?content=1')).json();
    expect(
      root.content.filter((item: any) => item.type !== 'directory')
    ).toEqual([]);
    expect(root.content.map((item: any) => item.name)).not.toContain(
      'bank-additional'
    );

    await autopilot.openExperimentsPanel();
    await expect(
      autopilot.experimentsPanel.getByText('No experiments yet')
    ).toBeVisible();
    const button = autopilot.experimentsPanel.getByRole('button', {
      name: TRY
    });
    await snap(page, testInfo, 'tutorial-empty-state', {
      docs: true,
      locator: autopilot.experimentsPanel
    });

    const clicked = Date.now();
    await button.click();
    const wizard = new CreateWizard(page);
    const checks = wizard.root.getByRole('region', { name: 'Data checks' });
    const leak = checks.locator('[data-column="duration"]');

    await test.step('the wizard opens on the copied file, target y chosen', async () => {
      await wizard.expectOpenedOn('bank-additional-full.csv', 'y');
      const about = wizard.root.getByRole('region', { name: 'Tutorial data' });
      await expect(about).toContainText('Leave out duration');
      await expect(
        about.getByRole('link', { name: 'CC BY 4.0' })
      ).toHaveAttribute('href', 'https://creativecommons.org/licenses/by/4.0/');
      const copied = await request.get(`/api/contents/${DATA}?content=0`);
      expect(copied.status()).toBe(200);
      expect((await copied.json()).size).toBe(5834924);
      // The preview has been read: the columns table is shown.
      await expect(
        wizard.root.getByRole('checkbox', { name: 'Use column age' })
      ).toBeVisible({ timeout: 30_000 });
      await snap(page, testInfo, 'tutorial-wizard', { docs: true });
    });

    await test.step('the duration leak is flagged before the run', async () => {
      await expect(leak).toContainText('known only after the outcome', {
        timeout: 30_000
      });
      await checks.evaluate(el => el.scrollIntoView({ block: 'center' }));
      await snap(page, testInfo, 'tutorial-leak-check');
    });

    await test.step('exclude it and start the run', async () => {
      await leak.getByRole('button', { name: 'Exclude duration' }).click();
      await expect(
        wizard.root.getByRole('checkbox', { name: 'Use column duration' })
      ).not.toBeChecked();
      await wizard.next();
      await expect(wizard.stepTitle).toHaveText('Step 3 of 4: Settings');
      started = await wizard.root.getByLabel('Experiment name').inputValue();
      expect(started).not.toBe('');
      // A small budget: this spec shows the start, the journey spec the whole run.
      await wizard.setBudget({ maxCandidates: 2, maxJobRuntime: 60 });
      await wizard.next();
      await wizard.create();
      const experiment = autopilot.experimentPage(started);
      await expect(experiment.heading).toBeVisible();
      await expect(experiment.stage('Pre-processing')).toHaveAttribute(
        'data-status',
        /running|done/,
        { timeout: 60_000 }
      );
      testInfo.annotations.push({
        type: 'click to running experiment',
        description: `${((Date.now() - clicked) / 1000).toFixed(1)} s (test automation typing included)`
      });
    });
    // Started is all this spec shows: stop and remove the run now rather than let it train
    // beside the other projects' tests until afterAll.
    if (started) {
      await removeExperiment(request, started);
      started = null;
    }
  });

  test('from the launcher, never over a file of the user’s', async ({
    page,
    request
  }) => {
    // The user edited the tutorial's file since.
    const mine = 'age;y\n30;no\n';
    const saved = await request.put(`/api/contents/${DATA}`, {
      data: { type: 'file', format: 'text', content: mine }
    });
    expect(saved.ok()).toBe(true);

    const section = await new Autopilot(page).openLauncherSection();
    await expect(
      section.getByRole('button', { name: 'Create Autopilot Experiment' })
    ).toBeVisible();
    await section.getByRole('button', { name: TRY }).click();

    await new CreateWizard(page).expectOpenedOn(
      'bank-additional-full (1).csv',
      'y'
    );
    const kept = await request.get(`/api/contents/${DATA}?format=text`);
    expect((await kept.json()).content).toBe(mine);
    const copy = await request.get(
      `/api/contents/${encodeURI('bank-additional/bank-additional-full (1).csv')}?content=0`
    );
    expect((await copy.json()).size).toBe(5834924);

    // The command palette has it too.
    await page.keyboard.press('Control+Shift+C');
    await page.keyboard.type('Try the tutorial');
    await expect(
      page.locator('#modal-command-palette').getByText(TRY)
    ).toBeVisible();
    await page.keyboard.press('Escape');
  });
});
