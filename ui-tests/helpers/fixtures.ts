/**
 * Galata's `test`, waiting longer for JupyterLab to start.
 *
 * Galata waits 15 s for the app to start after a page load (`window.jupyterapp.started`)
 * and 15 s more for the launcher, and neither wait can be configured. At the start of the
 * suite four projects load their first pages at once beside six starting servers and the
 * tutorial's training, on two cores: the `local` project's first test missed the 15 s on
 * both attempts (its trace: the app's code loaded 8 s after the navigation, then the file
 * browser plugin took 5.9 s to activate; CI, 7 December 2026). Later loads take 2-4 s.
 *
 * Every spec imports `test` and `expect` from here. `startApp: false` replaces Galata's
 * `autoGoto: false` (the test stubs routes first, then calls `page.goto()`): Galata itself
 * never navigates (`autoGoto` is always false) so that every load, the first one too, waits
 * `APP_START_TIMEOUT`.
 */
import { expect, test as base } from '@jupyterlab/galata';
import type { IJupyterLabPageFixture } from '@jupyterlab/galata';

export { expect };

/** How long a page load may take to start the app, and then to show the launcher. */
export const APP_START_TIMEOUT = 60_000;

/** The app has started: every plugin activated (Galata's own check). */
async function appStarted(page: IJupyterLabPageFixture): Promise<boolean> {
  return page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    if (typeof app === 'object') {
      await app.started;
      return true;
    }
    return false;
  });
}

export const test = base.extend<{ startApp: boolean }>({
  // Galata's page fixture never loads the app: ours does (below), with the longer waits.
  autoGoto: [false, { option: true }],
  /** Whether the test starts with JupyterLab loaded in its own folder (Galata's autoGoto). */
  startApp: [true, { option: true }],
  // What Galata waits for after the app has started (the launcher), with a longer timeout.
  waitForApplication: async ({}, use) => {
    await use(async (page, helpers) => {
      await page
        .locator('#jupyterlab-splash')
        .waitFor({ state: 'detached', timeout: APP_START_TIMEOUT });
      await helpers.waitForCondition(
        () => helpers.activity.isTabActive('Launcher'),
        APP_START_TIMEOUT
      );
      if (!(await helpers.isInSimpleMode())) {
        await helpers.activity.activateTab('Launcher');
      }
    });
  },
  page: async ({ page, startApp, tmpPath }, use) => {
    // Every load through this page (goto, reload) waits up to APP_START_TIMEOUT for the
    // app: Galata's own wait is an instance property, replaced here.
    Object.assign(page, {
      waitForAppStarted: () =>
        page.waitForCondition(() => appStarted(page), APP_START_TIMEOUT)
    });
    if (startApp) {
      // As Galata's autoGoto: the test's folder, with the workspace reset.
      await page.goto(`tree/${tmpPath}?reset`);
    }
    await use(page);
  }
});
