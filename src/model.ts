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
  /**
   * Open (or reveal) the detail view of an experiment of `backend` (null: the
   * server's default; left out: the backend the panels show, or the view's own).
   */
  openExperiment(name: string, backend?: string | null): void;
  /** Open (or reveal) the endpoint view (details, predict, batch); `backend` as above. */
  openEndpoint(name: string, backend?: string | null): void;
  /** Show the endpoints sidebar panel. */
  showEndpoints(): void;
  /** Open (or reveal) the "Experiments and trials" view. */
  openTrials?(): void;
  /**
   * Open the create-experiment wizard, optionally prefilled, on `backend` (as
   * for openExperiment).
   */
  createExperiment(options?: {
    path?: string;
    spec?: ExperimentSpec;
    backend?: string | null;
  }): void;
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

/**
 * The model shared by the panels, for one backend of the server.
 *
 * The plugin makes one (the server's default backend); on a server that offers
 * more (`Health.backends`), `forBackend(name)` gives the model of another one,
 * with its own client (`?backend=name`) and health, sharing the poll timing and
 * the change signals. `selected` is the backend the sidebars show.
 */
export class AutopilotModel {
  constructor(options: AutopilotModel.IOptions, root?: AutopilotModel) {
    this.client = options.client;
    this._root = root ?? null;
    this._timing = timingFromSetting(options.pollInterval);
    this.experimentsChanged = root?.experimentsChanged ?? new Signal(this);
    this.endpointsChanged = root?.endpointsChanged ?? new Signal(this);
    this.healthChanged = root?.healthChanged ?? new Signal(this);
    this.backendSelected = root?.backendSelected ?? new Signal(this);
    // Health carries warnings about running endpoints (and their cost): ask
    // again after a deploy or a delete.
    this.endpointsChanged.connect(() => {
      this._healthAt = 0;
    });
  }

  readonly client: AutopilotClient;

  /** The backend this model addresses (null: the server's default). */
  get backend(): string | null {
    return this.client.backend;
  }

  /** Poll timing (1 s while something runs by default), one for every backend. */
  get timing(): IPollTiming {
    return this._root ? this._root.timing : this._timing;
  }
  set timing(value: IPollTiming) {
    if (this._root) {
      this._root.timing = value;
    } else {
      this._timing = value;
    }
  }

  /**
   * The model of the server's backend `name` (null, or the default's name: the
   * default one). The same object for the same backend, so views can compare.
   */
  forBackend(name: string | null): AutopilotModel {
    const root = this._root ?? this;
    const defaultName = root._health?.backends?.find(b => b.default)?.name;
    if (!name || name === defaultName) {
      return root;
    }
    let model = root._others.get(name);
    if (!model) {
      model = new AutopilotModel(
        { client: root.client.withBackend(name) },
        root
      );
      root._others.set(name, model);
    }
    return model;
  }

  /** The model of the backend the sidebars show (the default until one is chosen). */
  get selected(): AutopilotModel {
    const root = this._root ?? this;
    return root.forBackend(root._selected);
  }

  /** Show `name`'s experiments and endpoints in the sidebars (null: the default's). */
  selectBackend(name: string | null): void {
    const root = this._root ?? this;
    const next = root.forBackend(name).backend;
    if (next === root._selected) {
      return;
    }
    root._selected = next;
    this.backendSelected.emit(next);
  }

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

  /** Emitted when any backend's health is (re)loaded. */
  readonly healthChanged: Signal<AutopilotModel, Health>;
  /** Emitted after this client created, stopped, re-ran or cleaned up an experiment. */
  readonly experimentsChanged: Signal<AutopilotModel, string | null>;
  /** Emitted after this client deployed or deleted an endpoint. */
  readonly endpointsChanged: Signal<AutopilotModel, string | null>;
  /** Emitted when the sidebars switch to another backend (its name, null: the default). */
  readonly backendSelected: Signal<AutopilotModel, string | null>;

  private readonly _root: AutopilotModel | null;
  private readonly _others = new Map<string, AutopilotModel>();
  private _selected: string | null = null;
  private _timing: IPollTiming;
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
