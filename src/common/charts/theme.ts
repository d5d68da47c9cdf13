/**
 * Vega config from JupyterLab's theme variables, so charts follow light and dark themes.
 */

/** Read a CSS variable from the document body (empty when absent). */
function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') {
    return fallback;
  }
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

/** Whether the current JupyterLab theme is dark. */
export function isDarkTheme(): boolean {
  if (typeof document === 'undefined') {
    return false;
  }
  return document.body.dataset.jpThemeLight === 'false';
}

/** A Vega config matching the current theme. */
export function chartConfig(): Record<string, unknown> {
  const text = cssVar('--jp-ui-font-color1', '#212121');
  const muted = cssVar('--jp-ui-font-color2', '#616161');
  const grid = cssVar('--jp-border-color2', '#e0e0e0');
  const border = cssVar('--jp-border-color1', '#bdbdbd');
  const accent = cssVar('--jp-brand-color1', '#1976d2');
  const font = cssVar('--jp-ui-font-family', 'sans-serif');
  return {
    background: null,
    font,
    view: { stroke: null },
    mark: { color: accent },
    bar: { fill: accent },
    line: { stroke: accent, strokeWidth: 2 },
    point: { fill: accent, stroke: accent },
    // Labels drawn as text marks (parallel-coordinates ticks) read like axis labels.
    text: { color: muted },
    axis: {
      labelColor: muted,
      titleColor: text,
      gridColor: grid,
      domainColor: border,
      tickColor: border,
      labelFont: font,
      titleFont: font,
      titleFontWeight: 600
    },
    legend: { labelColor: muted, titleColor: text },
    title: { color: text, font }
  };
}

/**
 * Calls `callback` when the JupyterLab theme changes (the body's theme
 * attributes change); returns a function that stops listening.
 */
export function onThemeChange(callback: () => void): () => void {
  if (
    typeof MutationObserver === 'undefined' ||
    typeof document === 'undefined'
  ) {
    return () => undefined;
  }
  const observer = new MutationObserver(() => callback());
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: ['data-jp-theme-name', 'data-jp-theme-light']
  });
  return () => observer.disconnect();
}
