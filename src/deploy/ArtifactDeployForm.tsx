/**
 * "Deploy exported model" (sagemaker backend): host a model.tar.gz from S3.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { Button } from '@jupyterlab/ui-components';
import * as React from 'react';

import type { Health } from '../api/types';
import { TextField, useTrans } from '../common/components';
import { fieldErrors } from '../logic/errors';
import { AutopilotModel } from '../model';
import { FormBody, FormFrame } from './FormBody';
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
  const shown = (key: string, formKey: keyof IArtifactForm) =>
    (touched[formKey] || props.serverError ? errors[key] : undefined) ??
    serverFields[key];
  return (
    <FormFrame serverError={props.serverError} serverFields={serverFields}>
      <TextField
        id="jp-autopilot-artifact-path"
        label={trans.__('Exported model (path or S3 URI)')}
        help={trans.__(
          'A model.tar.gz written by Export for SageMaker (on a JupyterLab with the local backend), under the Jupyter root or on S3.'
        )}
        error={shown('artifact', 'artifact')}
        value={form.artifact}
        placeholder="autopilot/exports/<experiment>/<candidate>/model.tar.gz"
        spellCheck={false}
        onChange={artifact => update({ artifact })}
        inline
        beside={
          props.pickFile && (
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
          )
        }
      />
      <TextField
        id="jp-autopilot-artifact-name"
        label={trans.__('Endpoint name')}
        help={trans.__(
          '1–63 letters, digits and hyphens (SageMaker’s naming rule).'
        )}
        error={shown('endpoint_name', 'endpointName')}
        value={form.endpointName}
        onChange={endpointName => update({ endpointName, nameEdited: true })}
      />
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
        <TextField
          id="jp-autopilot-artifact-image"
          label={trans.__('Image URI')}
          help={trans.__(
            'Optional. Default: SageMaker’s scikit-learn inference image for the region and the version the export names.'
          )}
          error={shown('image_uri', 'imageUri')}
          value={form.imageUri}
          spellCheck={false}
          onChange={imageUri => update({ imageUri })}
        />
      </details>
    </FormFrame>
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
