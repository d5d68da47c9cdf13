import * as React from 'react';
import type { VisualizationSpec } from 'vega-embed';

import { chartConfig, isDarkTheme, onThemeChange } from './theme';

/** Props of a chart. `spec` must be memoised by the caller (it re-renders on change). */
export interface IVegaChartProps {
  spec: VisualizationSpec;
  /** What the chart shows, for screen readers. */
  label: string;
  /** Space reserved before the chart renders (no layout jump), in px. */
  minHeight: number;
  /** Shown when the chart library fails to load. */
  errorText: string;
}

/**
 * A Vega-Lite chart rendered with vega-embed. The library (about 1 MB) is loaded
 * on first use, in its own chunk, so opening JupyterLab stays fast.
 */
export function VegaChart(props: IVegaChartProps): JSX.Element {
  const ref = React.useRef<HTMLDivElement>(null);
  const [themeVersion, setThemeVersion] = React.useState(0);
  const [failed, setFailed] = React.useState<string | null>(null);

  React.useEffect(() => onThemeChange(() => setThemeVersion(v => v + 1)), []);

  React.useEffect(() => {
    let disposed = false;
    let finalize: (() => void) | null = null;
    const node = ref.current;
    if (!node) {
      return;
    }
    void (async () => {
      try {
        const { default: embed } = await import(
          /* webpackChunkName: "autopilot-vega" */ 'vega-embed'
        );
        if (disposed) {
          return;
        }
        const spec = {
          ...(props.spec as object),
          config: chartConfig()
        } as VisualizationSpec;
        const result = await embed(node, spec, {
          actions: false,
          renderer: 'svg',
          tooltip: { theme: isDarkTheme() ? 'dark' : 'light' }
        });
        if (disposed) {
          result.finalize();
        } else {
          finalize = () => result.finalize();
          setFailed(null);
        }
      } catch (error) {
        if (!disposed) {
          setFailed((error as Error).message ?? String(error));
        }
      }
    })();
    return () => {
      disposed = true;
      finalize?.();
    };
  }, [props.spec, themeVersion]);

  return (
    <figure
      className="jp-Autopilot-chart"
      style={{ minHeight: props.minHeight }}
      aria-label={props.label}
    >
      <div
        ref={ref}
        className="jp-Autopilot-chartCanvas"
        role="img"
        aria-label={props.label}
      />
      {failed && (
        <div className="jp-Autopilot-error" role="alert">
          {props.errorText} {failed}
        </div>
      )}
    </figure>
  );
}
