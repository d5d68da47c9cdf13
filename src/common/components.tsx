/**
 * Small building blocks shared by the panels: error and status display, progress,
 * labelled form fields, the translation context and a ticking clock.
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import {
  Button,
  folderIcon,
  InputGroup,
  refreshIcon
} from '@jupyterlab/ui-components';
import * as React from 'react';

import { errorMessage } from '../logic/errors';
import { statusLabel } from '../logic/stages';

/** The translation domain of every string of the extension. */
export const TRANSLATION_DOMAIN = 'jupyter_autopilot';

/** The translation bundle of the extension, provided by each widget. */
export const TransContext = React.createContext<TranslationBundle>(
  nullTranslator.load(TRANSLATION_DOMAIN)
);

/** The current translation bundle. */
export function useTrans(): TranslationBundle {
  return React.useContext(TransContext);
}

/** An error as a readable, announced message, with an optional retry. */
export function ErrorMessage(props: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}): JSX.Element | null {
  const trans = useTrans();
  if (props.error === null || props.error === undefined) {
    return null;
  }
  const text = errorMessage(props.error, trans);
  return (
    <div className="jp-Autopilot-error" role="alert">
      <div className="jp-Autopilot-errorText">
        {props.title && <strong>{props.title} </strong>}
        {text}
      </div>
      {(props.onRetry || props.onDismiss) && (
        <div className="jp-Autopilot-errorActions">
          {props.onRetry && (
            <Button small minimal onClick={props.onRetry}>
              <refreshIcon.react
                tag="span"
                className="jp-Autopilot-buttonIcon"
              />
              {trans.__('Try again')}
            </Button>
          )}
          {props.onDismiss && (
            <Button small minimal onClick={props.onDismiss}>
              {trans.__('Dismiss')}
            </Button>
          )}
        </div>
      )}
    </div>
  );
}

/** A notice (info / warning) box. */
export function Notice(props: {
  kind: 'info' | 'warning' | 'success' | 'error';
  children: React.ReactNode;
  role?: string;
}): JSX.Element {
  return (
    <div
      className={`jp-Autopilot-notice jp-mod-${props.kind}`}
      role={props.role}
    >
      {props.children}
    </div>
  );
}

/** A coloured status pill (experiments, candidates, endpoints, batches). */
export function StatusBadge(props: {
  status: string;
  label?: string;
  title?: string;
}): JSX.Element {
  const trans = useTrans();

  return (
    <span
      className={`jp-Autopilot-badge jp-mod-${props.status}`}
      title={props.title}
      data-status={props.status}
    >
      {props.label ?? statusLabel(props.status, trans)}
    </span>
  );
}

/** A progress bar; indeterminate (animated) when `value` is null. */
export function ProgressBar(props: {
  value: number | null;
  label: string;
}): JSX.Element {
  const value =
    props.value === null ? null : Math.max(0, Math.min(1, props.value));
  return (
    <div
      className={`jp-Autopilot-progress${value === null ? ' jp-mod-indeterminate' : ''}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === null ? undefined : Math.round(value * 100)}
    >
      <div
        className="jp-Autopilot-progressFill"
        style={value === null ? undefined : { width: `${value * 100}%` }}
      />
    </div>
  );
}

/** A small spinning indicator (static when the user prefers reduced motion). */
export function Spinner(props: { label?: string }): JSX.Element {
  return (
    <span
      className="jp-Autopilot-spinner"
      role={props.label ? 'status' : undefined}
      aria-label={props.label}
      aria-hidden={props.label ? undefined : true}
    />
  );
}

/** A "Loading…" line that reserves space. */
export function Loading(props: { label?: string }): JSX.Element {
  const trans = useTrans();
  return (
    <div className="jp-Autopilot-loading" role="status">
      <Spinner />
      <span>{props.label ?? trans.__('Loading…')}</span>
    </div>
  );
}

/** ids of a field's help and error texts, for aria-describedby. */
export function describedBy(
  id: string,
  help?: React.ReactNode,
  error?: string | null
): string | undefined {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(
    Boolean
  );
  return ids.length ? ids.join(' ') : undefined;
}

/** A labelled form field with help text and an inline error message. */
export function Field(props: {
  id: string;
  label: React.ReactNode;
  help?: React.ReactNode;
  error?: string | null;
  children: React.ReactNode;
  className?: string;
  required?: boolean;
}): JSX.Element {
  return (
    <div
      className={`jp-Autopilot-field${props.error ? ' jp-mod-invalid' : ''}${
        props.className ? ' ' + props.className : ''
      }`}
    >
      <label
        htmlFor={props.id}
        className={`jp-Autopilot-fieldLabel${props.required ? ' jp-mod-required' : ''}`}
      >
        {props.label}
      </label>
      {props.children}
      {props.help && (
        <div id={`${props.id}-help`} className="jp-Autopilot-fieldHelp">
          {props.help}
        </div>
      )}
      <div
        id={`${props.id}-error`}
        className="jp-Autopilot-fieldError"
        aria-live="polite"
      >
        {props.error ?? ''}
      </div>
    </div>
  );
}

/**
 * A `Field` holding one text input, its help and error tied to it for screen
 * readers (`describedBy`). The input is marked `jp-mod-error` (what a dialog reads
 * to disable its accept button) while `marked`, by default while `error` is shown.
 */
export function TextField(props: {
  id: string;
  label: React.ReactNode;
  help?: string;
  error?: string;
  marked?: boolean;
  value: string;
  placeholder?: string;
  spellCheck?: boolean;
  onChange: (value: string) => void;
  /** The input in a one-line row, followed by `beside` (e.g. a Browse… button). */
  inline?: boolean;
  beside?: React.ReactNode;
}): JSX.Element {
  const marked = props.marked ?? !!props.error;
  const input = (
    <InputGroup
      id={props.id}
      value={props.value}
      placeholder={props.placeholder}
      className={marked ? 'jp-mod-error' : undefined}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={describedBy(props.id, props.help, props.error)}
      onChange={e => props.onChange((e.target as HTMLInputElement).value)}
      autoComplete="off"
      spellCheck={props.spellCheck}
    />
  );
  return (
    <Field
      id={props.id}
      label={props.label}
      help={props.help}
      error={props.error}
    >
      {props.inline ? (
        <div className="jp-Autopilot-inline">
          {input}
          {props.beside}
        </div>
      ) : (
        input
      )}
    </Field>
  );
}

/** A titled section of a main-area view. */
export function Section(props: {
  title: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  id?: string;
}): JSX.Element {
  const headingId = props.id ? `${props.id}-title` : undefined;
  return (
    <section
      className={`jp-Autopilot-section${props.className ? ' ' + props.className : ''}`}
      aria-labelledby={headingId}
    >
      <header className="jp-Autopilot-sectionHeader">
        <h3 id={headingId}>{props.title}</h3>
        {props.actions && (
          <div className="jp-Autopilot-sectionActions">{props.actions}</div>
        )}
      </header>
      {props.children}
    </section>
  );
}

/** Key/value rows as a definition list. */
export function KeyValues(props: {
  items: Array<[React.ReactNode, React.ReactNode]>;
  label?: string;
}): JSX.Element {
  return (
    <dl className="jp-Autopilot-keyValues" aria-label={props.label}>
      {props.items.map(([key, value], i) => (
        <React.Fragment key={i}>
          <dt>{key}</dt>
          <dd>{value}</dd>
        </React.Fragment>
      ))}
    </dl>
  );
}

/** The current time, re-rendering every `ms` while `active`. */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = React.useState(() => Date.now());
  React.useEffect(() => {
    if (!active) {
      setNow(Date.now());
      return;
    }
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [active, ms]);
  return now;
}

/** An icon inside a button, with consistent spacing. */
export function ButtonIcon(props: {
  icon: { react: React.ComponentType<any> };
}): JSX.Element {
  const Icon = props.icon.react;
  return <Icon tag="span" className="jp-Autopilot-buttonIcon" />;
}

/** "Browse…" beside a path input: `onClick` opens a file picker. */
export function BrowseButton(props: { onClick: () => void }): JSX.Element {
  const trans = useTrans();
  return (
    <Button onClick={props.onClick}>
      <ButtonIcon icon={folderIcon} />
      {trans.__('Browse…')}
    </Button>
  );
}

/**
 * The row header of a selectable table row: a button that selects the row, so keyboard
 * users can too (the row itself selects on click; the button keeps that click its own).
 */
export function RowSelectButton(props: {
  selected: boolean;
  onSelect: () => void;
  title?: string;
  children: React.ReactNode;
}): JSX.Element {
  return (
    <button
      className="jp-Autopilot-linkButton"
      aria-pressed={props.selected}
      title={props.title}
      onClick={e => {
        e.stopPropagation();
        props.onSelect();
      }}
    >
      {props.children}
    </button>
  );
}

/** The icon-only Refresh button of a view's header. */
export function RefreshButton(props: { onClick: () => void }): JSX.Element {
  const trans = useTrans();
  return (
    <Button
      minimal
      aria-label={trans.__('Refresh')}
      title={trans.__('Refresh')}
      onClick={props.onClick}
    >
      <refreshIcon.react tag="span" />
    </Button>
  );
}

/** "BalancedAccuracy" with line-break opportunities between words (narrow headers). */
export function breakCamelCase(label: string): React.ReactNode {
  const parts = label.split(/(?<=[a-z])(?=[A-Z])/);
  return parts.length < 2
    ? label
    : parts.map((part, i) => (
        <React.Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </React.Fragment>
      ));
}
