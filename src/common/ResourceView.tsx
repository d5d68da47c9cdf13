/**
 * The main-area view of one named resource (an experiment, an endpoint), polled.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import type { ISignal } from '@lumino/signaling';
import * as React from 'react';

import { isNotFound } from '../logic/errors';
import { AutopilotModel, IAutopilotActions } from '../model';
import { TransContext, TRANSLATION_DOMAIN } from './components';
import { PolledView } from './poll';

/** What every resource view knows besides its resource. */
export interface IResourceData {
  /** The last load's error (not a 404), shown with the last data. */
  error: unknown;
  /** The server answered 404: the resource was deleted; polling stops. */
  gone: boolean;
}

/**
 * A view of the resource `name`: reloads when `changed` names it (or null: all),
 * renders `renderDetail` in the translation context, and loads by `fetch`; a 404
 * marks it gone (polling stops), any other error is kept in `data.error` and
 * rethrown (the poll backs off). Subclasses say what to fetch and what it means.
 */
export abstract class ResourceView<
  T,
  D extends IResourceData
> extends PolledView {
  constructor(options: ResourceView.IOptions<D>) {
    super(
      `jupyter-autopilot:${options.kind}:${options.name}`,
      () => options.model.timing
    );
    this.name = options.name;
    this.model = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.data = options.empty;
    this.addClass(options.className);
    this.addClass('jp-Autopilot-view');
    options.changed.connect((_, name) => {
      if (name === null || name === this.name) {
        void this.refresh();
      }
    }, this);
  }

  /** The resource's name. */
  readonly name: string;

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        {this.renderDetail(trans)}
      </TransContext.Provider>
    );
  }

  /** One poll tick; resolves true while the resource is moving. */
  protected async load(): Promise<boolean> {
    if (this.data.gone) {
      return false;
    }
    // Both views mark or sort best metrics by their direction: know it first.
    await this.model.metricDirectionsKnown();
    let found: T;
    try {
      found = await this.fetch();
    } catch (error) {
      const gone = isNotFound(error);
      this.data = { ...this.data, error: gone ? null : error, gone };
      this.update();
      if (gone) {
        return false;
      }
      throw error;
    }
    return this.loaded(found);
  }

  /** The view's content. */
  protected abstract renderDetail(trans: TranslationBundle): JSX.Element;

  /** The props every detail component takes from its view. */
  protected detailProps(
    trans: TranslationBundle
  ): ResourceView.IDetailProps<D> {
    return {
      name: this.name,
      data: this.data,
      model: this.model,
      actions: this.actions,
      trans,
      refresh: () => void this.refresh()
    };
  }

  /** Ask the server for the resource. */
  protected abstract fetch(): Promise<T>;

  /** Take in what `fetch` found (and render); resolves true while it is moving. */
  protected abstract loaded(found: T): Promise<boolean>;

  protected data: D;
  /** The model of the backend the resource is on. */
  readonly model: AutopilotModel;
  protected readonly actions: IAutopilotActions;
  protected readonly translator: ITranslator;
}

export namespace ResourceView {
  /** What a resource's detail component is given by its view. */
  export interface IDetailProps<D> {
    name: string;
    data: D;
    model: AutopilotModel;
    actions: IAutopilotActions;
    trans: TranslationBundle;
    /** Load again now. */
    refresh: () => void;
  }

  export interface IOptions<D> {
    kind: string;
    name: string;
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
    /** The view's class (beside `jp-Autopilot-view`). */
    className: string;
    /** The model's signal naming a changed resource (null: any). */
    changed: ISignal<AutopilotModel, string | null>;
    /** The data before the first load. */
    empty: D;
  }
}
