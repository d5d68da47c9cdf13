/**
 * What the two sidebar panels (experiments, endpoints) share: the polled widget
 * with its state, and the header, loading and empty states of its list.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Button, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { AutopilotModel, IAutopilotActions } from '../model';
import {
  ErrorMessage,
  Loading,
  TransContext,
  TRANSLATION_DOMAIN,
  useTrans
} from './components';
import { PolledView } from './poll';

/**
 * A sidebar panel polling its state `S` (with the last load's error): renders
 * `renderPanel` in the translation context; `loadState` keeps the last state shown
 * beside an error, which it rethrows (the poll backs off).
 */
export abstract class SidebarPanel<
  S extends { error: unknown }
> extends PolledView {
  constructor(options: SidebarPanel.IOptions<S>) {
    super(`jupyter-autopilot:${options.kind}`, () => options.model.timing);
    this.root = options.model;
    this.actions = options.actions;
    this.translator = options.translator ?? nullTranslator;
    this.state = options.empty;
    this.empty = options.empty;
    this.id = options.id;
    this.addClass('jp-AutopilotPanel');
    // Another backend chosen: its list, not the last one's beside it.
    this.root.backendSelected.connect(() => {
      this.state = this.empty;
      this.update();
      void this.refresh();
    }, this);
  }

  /** The model of the backend the panel shows (the one chosen in the sidebar). */
  get model(): AutopilotModel {
    return this.root.selected;
  }

  protected render(): JSX.Element {
    const trans = this.translator.load(TRANSLATION_DOMAIN);
    return (
      <TransContext.Provider value={trans}>
        {this.renderPanel(trans)}
      </TransContext.Provider>
    );
  }

  /** The panel's content. */
  protected abstract renderPanel(trans: TranslationBundle): JSX.Element;

  /** Replace the state with what `fetch` finds; on failure keep it, with the error. */
  protected async loadState(fetch: () => Promise<S>): Promise<void> {
    try {
      this.state = await fetch();
    } catch (error) {
      this.state = { ...this.state, error };
      this.loaded();
      throw error;
    }
    this.loaded();
  }

  /** After every load, failed or not. */
  protected loaded(): void {
    this.update();
  }

  protected state: S;
  /** The model of the server's default backend (which knows the chosen one). */
  protected readonly root: AutopilotModel;
  private readonly empty: S;
  protected readonly actions: IAutopilotActions;
  protected readonly translator: ITranslator;
}

export namespace SidebarPanel {
  export interface IOptions<S> {
    model: AutopilotModel;
    actions: IAutopilotActions;
    translator?: ITranslator;
    /** Names the poll. */
    kind: string;
    /** The widget's DOM id. */
    id: string;
    /** The state before the first load. */
    empty: S;
  }
}

/**
 * A panel's list, in this order: the header (title, `buttons`, Refresh), `above`,
 * the last error (with Retry), `filters`, Loading until the first answer, the empty
 * state (`emptyTitle`, then `empty`) when there are no `items`, then `children`.
 */
export function PanelList(props: {
  title: string;
  refreshLabel: string;
  onRefresh: () => void;
  buttons?: React.ReactNode;
  above?: React.ReactNode;
  error: unknown;
  filters?: React.ReactNode;
  items: unknown[] | null;
  emptyTitle: string;
  empty: React.ReactNode;
  children: React.ReactNode;
}): JSX.Element {
  const trans = useTrans();
  const { error, items } = props;
  return (
    <div className="jp-AutopilotPanel-content">
      <header className="jp-AutopilotPanel-header">
        <h2>{props.title}</h2>
        {props.buttons}
        <Button
          minimal
          aria-label={props.refreshLabel}
          title={trans.__('Refresh')}
          onClick={props.onRefresh}
        >
          <refreshIcon.react tag="span" />
        </Button>
      </header>
      {props.above}
      <ErrorMessage error={error} onRetry={props.onRefresh} />
      {props.filters}
      {items === null && !error && <Loading />}
      {items !== null && items.length === 0 && (
        <div className="jp-AutopilotPanel-empty">
          <p className="jp-AutopilotPanel-emptyTitle">{props.emptyTitle}</p>
          {props.empty}
        </div>
      )}
      {props.children}
    </div>
  );
}
