/**
 * Light and dark themes: the panels take JupyterLab's theme colours, charts
 * included. Uses a canned (stubbed) completed experiment, so no training is needed.
 */
import { galata } from '@jupyterlab/galata';

import { expect, test } from '../helpers/fixtures';

import { stubCannedExperiment } from '../helpers/api';
import { Autopilot, snap } from '../helpers/autopilot';

/** Relative luminance of a CSS rgb() colour, 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? ['0', '0', '0'])
    .slice(0, 3)
    .map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

async function colours(
  page: any,
  selector: string
): Promise<{ background: string; color: string }> {
  return page
    .locator(selector)
    .first()
    .evaluate((el: Element) => {
      const style = getComputedStyle(el);
      return { background: style.backgroundColor, color: style.color };
    });
}

test.describe('Themes', () => {
  // The app starts once, after the stubs (page.goto()), not once before and once after.
  test.use({ startApp: false });

  test('light theme', async ({ page }, testInfo) => {
    await stubCannedExperiment(page);
    // Start the app with the stubs in place.
    await page.goto();
    const autopilot = new Autopilot(page);
    const experiment = await autopilot.openExperiment('canned-experiment');
    await expect(experiment.leaderboard).toBeVisible();
    await expect(
      experiment.root.locator('.jp-Autopilot-chartCanvas svg').first()
    ).toBeVisible({ timeout: 30_000 });
    const { background, color } = await colours(
      page,
      '.jp-AutopilotExperiment'
    );
    expect(luminance(background)).toBeGreaterThan(0.8);
    expect(luminance(color)).toBeLessThan(0.4);
    await snap(page, testInfo, 'light-theme');
  });

  test.describe('dark', () => {
    test.use({
      mockSettings: {
        ...galata.DEFAULT_SETTINGS,
        '@jupyterlab/apputils-extension:themes': { theme: 'JupyterLab Dark' }
      }
    });

    test('dark theme: panels and charts follow the theme', async ({
      page
    }, testInfo) => {
      await stubCannedExperiment(page);
      // Start the app with the stubs in place.
      await page.goto();
      const autopilot = new Autopilot(page);
      await expect(page.locator('body')).toHaveAttribute(
        'data-jp-theme-light',
        'false'
      );
      const experiment = await autopilot.openExperiment('canned-experiment');
      await expect(experiment.leaderboard).toBeVisible();
      const chart = experiment.root
        .locator('.jp-Autopilot-chartCanvas svg')
        .first();
      await expect(chart).toBeVisible({ timeout: 30_000 });

      const view = await colours(page, '.jp-AutopilotExperiment');
      expect(luminance(view.background)).toBeLessThan(0.25);
      expect(luminance(view.color)).toBeGreaterThan(0.6);
      const sidebar = await colours(page, '#jp-autopilot-sidebar');
      expect(luminance(sidebar.background)).toBeLessThan(0.25);
      // Axis labels of the charts are drawn in the theme's (light) text colour.
      const axisLabel = await chart
        .locator('.role-axis-label text')
        .first()
        .getAttribute('fill');
      expect(axisLabel).toBeTruthy();
      const rgb = await page.evaluate(c => {
        const probe = document.createElement('span');
        probe.style.color = c as string;
        document.body.appendChild(probe);
        const value = getComputedStyle(probe).color;
        probe.remove();
        return value;
      }, axisLabel);
      expect(luminance(rgb)).toBeGreaterThan(0.5);
      await snap(page, testInfo, 'dark-theme', { docs: true });

      // The wizard in the dark theme.
      const wizard = await autopilot.createExperiment();
      await wizard.chooseFile('bank-additional/bank-additional-full.csv');
      await expect(wizard.previewTable).toBeVisible();
      await snap(page, testInfo, 'dark-theme-wizard');
    });
  });
});
