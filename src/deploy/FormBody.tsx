/**
 * A dialog body holding a form: the dialog reads its value when a button is pressed.
 */
import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { TransContext } from '../common/components';

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
