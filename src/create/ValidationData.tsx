/**
 * The settings step's "Validation data": a random share of the training file (the
 * validation fraction), or a file of the user's own (Autopilot V2's validation
 * channel) for data where a random split leaks the future. The file is previewed as
 * soon as it is chosen and its columns are checked against the training file's, so a
 * mismatch shows here before Create (the server checks types and classes too).
 */
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import {
  BrowseButton,
  ErrorMessage,
  Field,
  Loading,
  Notice,
  useTrans
} from '../common/components';
import { FormInputField } from './FormInputField';
import { fieldId, inputProps, IStepProps } from './stepProps';
import { useDatasetPreview } from './useDatasetPreview';
import { DEFAULT_KEY_PREFIX, useS3Upload } from './useS3Upload';

export function ValidationData(p: IStepProps): JSX.Element {
  const trans = useTrans();
  const s3 = p.health.features.s3;
  const uploader = useS3Upload(p.model);
  const preview = useDatasetPreview(p.model, loaded =>
    p.update({ validation_columns: loaded.columns.map(c => c.name) })
  );
  const read = (uri: string) => {
    if (uri.trim()) {
      p.update({ validation_columns: null });
      preview.run(uri, p.form.delimiter);
    }
  };
  const browse = async () => {
    const path = await p.actions.pickFile(
      trans.__('Choose the validation data'),
      ['.csv', '.csv.gz', '.tsv', '.txt']
    );
    if (!path) {
      return;
    }
    read(path);
    if (s3) {
      // Uploaded like the training file: SageMaker reads both from S3.
      const uri = await uploader.upload(path, DEFAULT_KEY_PREFIX);
      if (uri) {
        p.update({ validation_file: uri });
        p.touch('validation_file');
      }
    } else {
      p.update({ validation_file: path });
      p.touch('validation_file');
    }
  };
  const fileHelp = s3
    ? trans.__(
        'A CSV in S3 with the training data’s header; Browse… uploads a file from this server.'
      )
    : trans.__(
        'A CSV under the Jupyter root with the training file’s columns. Never trained on: every candidate is tuned, scored and chosen on it.'
      );
  const source = p.form.validation_source;
  const columns = p.form.validation_columns;
  return (
    <fieldset
      className="jp-Autopilot-fieldset"
      id={fieldId('validation_source')}
    >
      <legend>{trans.__('Validation data')}</legend>
      <div className="jp-Autopilot-inline">
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name="jp-autopilot-validation"
            checked={source === 'fraction'}
            onChange={() => p.update({ validation_source: 'fraction' })}
          />
          <span>{trans.__('A share of the training file (fraction)')}</span>
        </label>
        <label className="jp-Autopilot-radio">
          <input
            type="radio"
            name="jp-autopilot-validation"
            checked={source === 'file'}
            onChange={() => p.update({ validation_source: 'file' })}
          />
          <span>{trans.__('A file of my own')}</span>
        </label>
      </div>
      {source === 'fraction' ? (
        <div className="jp-Autopilot-grid3">
          <FormInputField
            p={p}
            name="validation_fraction"
            label={trans.__('Validation fraction')}
            help={trans.__(
              'Share of rows held out to score candidates (0–0.5).'
            )}
            type="number"
            step={0.05}
            min={0.05}
            max={0.5}
          />
        </div>
      ) : (
        <>
          <Field
            id={fieldId('validation_file')}
            label={trans.__('Validation file')}
            help={fileHelp}
            error={p.errorOf('validation_file')}
          >
            <div className="jp-Autopilot-inline">
              <InputGroup
                {...inputProps(p, 'validation_file', fileHelp)}
                placeholder={
                  s3 ? 's3://bucket/prefix/later.csv' : 'data/later-rows.csv'
                }
                onBlur={() => {
                  p.touch('validation_file');
                  read(p.form.validation_file);
                }}
              />
              <BrowseButton onClick={() => void browse()} />
            </div>
          </Field>
          {(preview.loading || uploader.uploading) && (
            <Loading label={trans.__('Reading the validation file…')} />
          )}
          <ErrorMessage
            error={preview.error ?? uploader.error}
            title={trans.__('Cannot use this validation file.')}
          />
          {!preview.loading &&
            columns &&
            preview.preview &&
            !p.errorOf('validation_file') && (
              <Notice kind="info">
                {trans.__(
                  'Same %1 columns as the training file; its rows replace the random split and are never trained on.',
                  columns.length
                )}
              </Notice>
            )}
        </>
      )}
    </fieldset>
  );
}
