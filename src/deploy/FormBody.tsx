/**
 * A dialog body holding a form (the dialog reads its value when a button is
 * pressed), and the frame both deploy forms draw their fields in.
 */
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { ErrorMessage, TransContext, useTrans } from '../common/components';

/** A dialog body rendering a form whose value the dialog reads on accept. */
export class FormBody<T, P extends { trans: TranslationBundle; initial: T }>
  extends ReactWidget
  implements Dialog.IBodyWidget<T>
{
  constructor(
    private props: P,
    private View: (props: P & { onChange: (form: T) => void }) => JSX.Element
  ) {
    super();
    this.form = props.initial;
    this.addClass('jp-AutopilotDialog');
  }

  getValue(): T {
    return this.form;
  }

  protected render(): JSX.Element {
    const View = this.View;
    return (
      <TransContext.Provider value={this.props.trans}>
        <View
          {...this.props}
          onChange={form => {
            this.form = form;
          }}
        />
      </TransContext.Provider>
    );
  }

  private form: T;
}

/** Instance type and count, or serverless memory and concurrency (SageMaker). */

/**
 * A deploy form's frame: the server's last error above the fields, its error about
 * no one field below them. After every render it has the dialog re-check its Deploy
 * button: the dialog re-checks the fields' `jp-mod-error` marks on input events only,
 * and sees those before React re-renders the marks.
 */
export function FormFrame(props: {
  serverError: unknown;
  serverFields: Record<string, string>;
  children: React.ReactNode;
}): JSX.Element {
  const trans = useTrans();
  const rootRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    rootRef.current?.dispatchEvent(new Event('input', { bubbles: true }));
  });
  return (
    <div className="jp-AutopilotDialog-body" ref={rootRef}>
      {props.serverError !== null && props.serverError !== undefined && (
        <ErrorMessage
          error={props.serverError}
          title={trans.__('The model was not deployed.')}
        />
      )}
      {props.children}
      {props.serverFields[''] && (
        <div className="jp-Autopilot-fieldError">{props.serverFields['']}</div>
      )}
    </div>
  );
}
