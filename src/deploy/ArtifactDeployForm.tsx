/**
 * "Deploy exported model" (sagemaker backend): host a model.tar.gz from S3.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Button, InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Health } from '../api/types';
import {
  describedBy,
  ErrorMessage,
  Field,
  useTrans
} from '../common/components';
import { fieldErrors } from '../logic/errors';
import { AutopilotModel } from '../model';
import { FormBody } from './FormBody';
import { HostingFields } from './HostingFields';
import { artifactDeployRequest, IArtifactForm } from './requests';
import { existingEndpointNames, submitDeployForm } from './submitDeployForm';
import { artifactEndpointName } from './variants';

function ArtifactFormView(props: {
  health: Health;
  initial: IArtifactForm;
  existing: string[];
  serverError: unknown;
  pickFile?: (title: string, extensions?: string[]) => Promise<string | null>;
  onChange: (form: IArtifactForm) => void;
}): JSX.Element {
  const trans = useTrans();
  const [form, setForm] = React.useState(props.initial);
  const [touched, setTouched] = React.useState<Record<string, boolean>>({});
  const serverFields = fieldErrors(props.serverError);
  const { errors } = artifactDeployRequest(form, props.health, trans);
  const update = (patch: Partial<IArtifactForm>) => {
    let next = { ...form, ...patch };
    if (patch.artifact !== undefined && !next.nameEdited) {
      next = {
        ...next,
        endpointName: artifactEndpointName(next.artifact, props.existing)
      };
    }
    setForm(next);
    setTouched(t => ({
      ...t,
      ...Object.fromEntries(Object.keys(patch).map(k => [k, true]))
    }));
    props.onChange(next);
  };
  const rootRef = React.useRef<HTMLDivElement>(null);
  React.useEffect(() => {
    // Let the dialog re-check its Deploy button once the fields show their
    // errors (see DeployFormView); here errors show per touched field.
    rootRef.current?.dispatchEvent(new Event('input', { bubbles: true }));
  });
  const shown = (key: string, formKey: keyof IArtifactForm) =>
    (touched[formKey] || props.serverError ? errors[key] : undefined) ??
    serverFields[key];
  const artifactError = shown('artifact', 'artifact');
  const nameError = shown('endpoint_name', 'endpointName');
  const imageError = shown('image_uri', 'imageUri');
  const artifactHelp = trans.__(
    'A model.tar.gz written by Export for SageMaker (on a JupyterLab with the local backend), under the Jupyter root or on S3.'
  );
  const nameHelp = trans.__(
    '1–63 letters, digits and hyphens (SageMaker’s naming rule).'
  );
  const imageHelp = trans.__(
    'Optional. Default: SageMaker’s scikit-learn inference image for the region and the version the export names.'
  );
  return (
    <div className="jp-AutopilotDialog-body" ref={rootRef}>
      {props.serverError !== null && props.serverError !== undefined && (
        <ErrorMessage
          error={props.serverError}
          title={trans.__('The model was not deployed.')}
        />
      )}
      <Field
        id="jp-autopilot-artifact-path"
        label={trans.__('Exported model (path or S3 URI)')}
        help={artifactHelp}
        error={artifactError}
      >
        <div className="jp-Autopilot-inline">
          <InputGroup
            id="jp-autopilot-artifact-path"
            value={form.artifact}
            placeholder="autopilot/exports/<experiment>/<candidate>/model.tar.gz"
            className={artifactError ? 'jp-mod-error' : undefined}
            aria-invalid={artifactError ? true : undefined}
            aria-describedby={describedBy(
              'jp-autopilot-artifact-path',
              artifactHelp,
              artifactError
            )}
            onChange={e =>
              update({ artifact: (e.target as HTMLInputElement).value })
            }
            autoComplete="off"
            spellCheck={false}
          />
          {props.pickFile && (
            <Button
              onClick={async () => {
                const path = await props.pickFile?.(
                  trans.__('Choose an exported model.tar.gz'),
                  ['.tar.gz']
                );
                if (path) {
                  update({ artifact: path });
                }
              }}
            >
              {trans.__('Browse…')}
            </Button>
          )}
        </div>
      </Field>
      <Field
        id="jp-autopilot-artifact-name"
        label={trans.__('Endpoint name')}
        help={nameHelp}
        error={nameError}
      >
        <InputGroup
          id="jp-autopilot-artifact-name"
          value={form.endpointName}
          className={nameError ? 'jp-mod-error' : undefined}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={describedBy(
            'jp-autopilot-artifact-name',
            nameHelp,
            nameError
          )}
          onChange={e =>
            update({
              endpointName: (e.target as HTMLInputElement).value,
              nameEdited: true
            })
          }
          autoComplete="off"
        />
      </Field>
      <HostingFields
        idPrefix="jp-autopilot-artifact"
        radioName="jp-autopilot-artifact-hosting"
        form={form}
        health={props.health}
        errors={errors}
        serverFields={serverFields}
        update={update}
      />
      <details className="jp-Autopilot-details">
        <summary>{trans.__('Container image')}</summary>
        <Field
          id="jp-autopilot-artifact-image"
          label={trans.__('Image URI')}
          help={imageHelp}
          error={imageError}
        >
          <InputGroup
            id="jp-autopilot-artifact-image"
            value={form.imageUri}
            className={imageError ? 'jp-mod-error' : undefined}
            aria-invalid={imageError ? true : undefined}
            aria-describedby={describedBy(
              'jp-autopilot-artifact-image',
              imageHelp,
              imageError
            )}
            onChange={e =>
              update({ imageUri: (e.target as HTMLInputElement).value })
            }
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
      </details>
      {serverFields[''] && (
        <div className="jp-Autopilot-fieldError">{serverFields['']}</div>
      )}
    </div>
  );
}

/**
 * Ask for an exported model.tar.gz and how to host it, deploy it (POST endpoints)
 * and follow the endpoint. Resolves with the endpoint name (or null if cancelled).
 */
export async function deployArtifactWithDialog(options: {
  model: AutopilotModel;
  trans: TranslationBundle;
  artifact?: string;
  pickFile?: (title: string, extensions?: string[]) => Promise<string | null>;
  onOpenEndpoint: (name: string) => void;
}): Promise<string | null> {
  const { model, trans } = options;
  const health = await model.health();
  const existing = await existingEndpointNames(model);
  const artifact = options.artifact ?? '';
  const form: IArtifactForm = {
    artifact,
    endpointName: artifactEndpointName(artifact, existing),
    imageUri: '',
    hosting: 'instance',
    instanceType: health.features.instance_types?.[0] ?? '',
    instanceCount: '1',
    memorySizeMb: '2048',
    maxConcurrency: '5'
  };
  return submitDeployForm({
    model,
    trans,
    title: trans.__('Deploy an exported model'),
    focusNodeSelector: '#jp-autopilot-artifact-path',
    initial: form,
    body: (initial, serverError) =>
      new FormBody(
        {
          trans,
          health,
          initial,
          existing,
          serverError,
          pickFile: options.pickFile
        },
        ArtifactFormView
      ),
    request: current => artifactDeployRequest(current, health, trans).request,
    send: request => model.client.deployArtifact(request),
    onOpenEndpoint: options.onOpenEndpoint
  });
}
