/**
 * State and services shared by every Autopilot panel: the API client, the
 * server's health (cached), change notifications and the app actions panels use.
 */
import { Signal } from '@lumino/signaling';

import { AutopilotClient } from './api/client';
import type { ExperimentSpec, Health } from './api/types';
import { notImplemented } from './logic/features';
import { setMinimizedMetrics } from './logic/metrics';
import { IPollTiming, timingFromSetting } from './logic/polling';

/** What panels ask the application to do (implemented in index.ts with commands). */
export interface IAutopilotActions {
  /** Open (or reveal) the detail view of an experiment. */
  openExperiment(name: string): void;
  /** Open (or reveal) the endpoint view (details, predict, batch). */
  openEndpoint(name: string): void;
  /** Show the endpoints sidebar panel. */
  showEndpoints(): void;
  /** Open (or reveal) the "Experiments and trials" view. */
  openTrials?(): void;
  /** Open the create-experiment wizard, optionally prefilled. */
  createExperiment(options?: { path?: string; spec?: ExperimentSpec }): void;
  /**
   * "Try the tutorial": copy the tutorial's data under the Jupyter root and open
   * the wizard on it (resolves once the wizard is open; errors are notified).
   */
  tryTutorial?(): Promise<void>;
  /** Open a file under the server root in JupyterLab (notebooks, CSV). */
  openPath(path: string): Promise<void>;
  /** Show a file under the server root in the file browser (selected). */
  revealPath?(path: string): Promise<void>;
  /** Let the user pick a file with JupyterLab's file dialog; null when cancelled. */
  pickFile(title: string, extensions?: string[]): Promise<string | null>;
}

/** The model shared by the panels. */
export class AutopilotModel {
  constructor(options: AutopilotModel.IOptions) {
    this.client = options.client;
    this.timing = timingFromSetting(options.pollInterval);
    // Health carries warnings about running endpoints (and their cost): ask
    // again after a deploy or a delete.
    this.endpointsChanged.connect(() => {
      this._healthAt = 0;
    });
  }

  readonly client: AutopilotClient;

  /** Poll timing (1 s while something runs by default). */
  timing: IPollTiming;

  /** The last health answer (null before the first). */
  get healthValue(): Health | null {
    return this._health;
  }

  /**
   * The server's health, cached; `refresh` asks again: `true` always, a number
   * when the cached answer is older than that many ms (or was invalidated).
   */
  async health(refresh: boolean | number = false): Promise<Health> {
    const stale =
      refresh === true ||
      (typeof refresh === 'number' && Date.now() - this._healthAt > refresh);
    if (!stale && this._health) {
      return this._health;
    }
    if (this._pending) {
      return this._pending;
    }
    this._pending = this.client.health().then(
      health => {
        setMinimizedMetrics(health.defaults.minimized_metrics);
        this._health = health;
        this._healthAt = Date.now();
        this._pending = null;
        this.healthChanged.emit(health);
        return health;
      },
      error => {
        this._pending = null;
        throw error;
      }
    );
    return this._pending;
  }

  /**
   * Resolves once the server's metric directions are known (its first health
   * answer carries the minimised metrics): views that rank by a metric wait for
   * it before their first render, so a minimised objective never shows worst
   * first. A failed health answer does not block (the view shows its own error).
   */
  async metricDirectionsKnown(): Promise<void> {
    if (!this._health) {
      await this.health().catch(() => undefined);
    }
  }

  /** Whether the active backend answers 501 for an operation (per health). */
  notImplemented(operation: string): boolean {
    return notImplemented(this._health, operation);
  }

  /** Emitted when health is (re)loaded. */
  readonly healthChanged = new Signal<this, Health>(this);
  /** Emitted after this client created, stopped, re-ran or cleaned up an experiment. */
  readonly experimentsChanged = new Signal<this, string | null>(this);
  /** Emitted after this client deployed or deleted an endpoint. */
  readonly endpointsChanged = new Signal<this, string | null>(this);

  private _health: Health | null = null;
  private _healthAt = 0;
  private _pending: Promise<Health> | null = null;
}

export namespace AutopilotModel {
  export interface IOptions {
    client: AutopilotClient;
    /** Active polling interval in ms (setting `pollInterval`). */
    pollInterval?: number;
  }
}
