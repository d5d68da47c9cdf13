/**
 * Step 1 of the wizard: the training data (a file here, or S3 with an upload), its
 * delimiter and a preview.
 */
import {
  Button,
  fileUploadIcon,
  HTMLSelect,
  InputGroup
} from '@jupyterlab/ui-components';
import * as React from 'react';

import type { DatasetPreview } from '../api/types';
import {
  BrowseButton,
  ButtonIcon,
  ErrorMessage,
  Field,
  Loading,
  Notice,
  Spinner,
  useTrans
} from '../common/components';
import {
  delimiterName,
  PreviewSummary,
  PreviewTable
} from '../common/PreviewTable';
import { fieldId, inputProps, IStepProps } from './stepProps';
import { DEFAULT_KEY_PREFIX, useS3Upload } from './useS3Upload';

export function DataStep(
  p: IStepProps & {
    previewing: boolean;
    previewError: unknown;
    fullPreview: DatasetPreview | null;
    onPreview: (uri: string, delimiter: string) => void;
  }
): JSX.Element {
  const trans = useTrans();
  const s3 = p.health.features.s3;
  const [uploadPath, setUploadPath] = React.useState(
    s3 && p.form.input_uri && !p.form.input_uri.startsWith('s3://')
      ? p.form.input_uri
      : ''
  );
  const [keyPrefix, setKeyPrefix] = React.useState(DEFAULT_KEY_PREFIX);
  const uploader = useS3Upload(p.model);

  const browse = async () => {
    const path = await p.actions.pickFile(
      trans.__('Choose the training data'),
      ['.csv', '.csv.gz', '.tsv', '.txt']
    );
    if (path) {
      if (s3) {
        setUploadPath(path);
        p.onPreview(path, p.form.delimiter);
      } else {
        p.update({ input_uri: path });
        p.touch('input_uri');
        p.onPreview(path, p.form.delimiter);
      }
    }
  };

  const upload = async () => {
    const uri = await uploader.upload(uploadPath, keyPrefix);
    if (uri) {
      p.update({ input_uri: uri });
      p.touch('input_uri');
      p.onPreview(uri, p.form.delimiter);
    }
  };

  const help = s3
    ? trans.__('The CSV file in S3 that Autopilot trains on (s3://bucket/key).')
    : trans.__(
        'A CSV file under the Jupyter root (plain or .csv.gz), with a header row.'
      );
  const fullPreview = p.fullPreview;
  const stale =
    fullPreview !== null &&
    p.form.input_uri.trim() !== '' &&
    fullPreview.uri !== p.form.input_uri.trim() &&
    !(s3 && fullPreview.uri === uploadPath.trim());

  return (
    <div className="jp-AutopilotCreate-fields">
      <Field
        id={fieldId('input_uri')}
        label={
          s3
            ? trans.__('S3 location of the training data')
            : trans.__('Training data file')
        }
        help={help}
        error={p.errorOf('input_uri')}
        required
      >
        <div className="jp-Autopilot-inline">
          <InputGroup
            {...inputProps(p, 'input_uri', help)}
            placeholder={
              s3
                ? 's3://bucket/prefix/data.csv'
                : 'bank-additional/bank-additional-full.csv'
            }
            onKeyDown={e => {
              if (e.key === 'Enter') {
                p.onPreview(p.form.input_uri, p.form.delimiter);
              }
            }}
            onBlur={() => {
              p.touch('input_uri');
              if (
                p.form.input_uri.trim() &&
                p.form.input_uri.trim() !== fullPreview?.uri
              ) {
                p.onPreview(p.form.input_uri, p.form.delimiter);
              }
            }}
          />
          {!s3 && <BrowseButton onClick={() => void browse()} />}
          <Button
            onClick={() => p.onPreview(p.form.input_uri, p.form.delimiter)}
            disabled={!p.form.input_uri.trim() || p.previewing}
          >
            {trans.__('Preview')}
          </Button>
        </div>
      </Field>

      {s3 && (
        <fieldset className="jp-Autopilot-fieldset">
          <legend>{trans.__('Or upload a file from this server to S3')}</legend>
          <p className="jp-Autopilot-fieldHelp">
            {trans.__(
              'Copies the file to the default bucket %1 under the key prefix; the S3 URI is filled in for you.',
              p.health.default_bucket ?? 'sagemaker-<region>-<account>'
            )}
          </p>
          <div className="jp-Autopilot-grid2">
            <Field
              id={fieldId('upload-path')}
              label={trans.__('File to upload')}
            >
              <div className="jp-Autopilot-inline">
                <InputGroup
                  id={fieldId('upload-path')}
                  value={uploadPath}
                  placeholder="bank-additional/bank-additional-full.csv"
                  onChange={e =>
                    setUploadPath((e.target as HTMLInputElement).value)
                  }
                />
                <BrowseButton onClick={() => void browse()} />
              </div>
            </Field>
            <Field id={fieldId('key-prefix')} label={trans.__('Key prefix')}>
              <InputGroup
                id={fieldId('key-prefix')}
                value={keyPrefix}
                onChange={e =>
                  setKeyPrefix((e.target as HTMLInputElement).value)
                }
              />
            </Field>
          </div>
          <Button
            onClick={() => void upload()}
            disabled={!uploadPath.trim() || uploader.uploading}
          >
            {uploader.uploading ? (
              <Spinner />
            ) : (
              <ButtonIcon icon={fileUploadIcon} />
            )}
            {uploader.uploading
              ? trans.__('Uploading…')
              : trans.__('Upload to S3')}
          </Button>
          <ErrorMessage
            error={uploader.error}
            title={trans.__('Upload failed.')}
          />
          {uploader.warnings.map((w, i) => (
            <Notice kind="info" key={i}>
              {w}
            </Notice>
          ))}
        </fieldset>
      )}

      <div className="jp-Autopilot-grid2">
        <Field
          id={fieldId('delimiter')}
          label={trans.__('Delimiter')}
          help={
            fullPreview
              ? trans.__(
                  'Detected: %1',
                  delimiterName(fullPreview.delimiter, trans)
                )
              : trans.__('Detected from the file unless you choose one.')
          }
          error={p.errorOf('delimiter')}
        >
          <HTMLSelect
            id={fieldId('delimiter')}
            value={p.form.delimiter}
            onChange={e => {
              p.update({ delimiter: e.target.value });
              if (p.form.input_uri.trim()) {
                p.onPreview(p.form.input_uri, e.target.value);
              }
            }}
            options={[
              { value: '', label: trans.__('Detect automatically') },
              { value: ',', label: trans.__('Comma (,)') },
              { value: ';', label: trans.__('Semicolon (;)') },
              { value: '\t', label: trans.__('Tab') },
              { value: '|', label: trans.__('Pipe (|)') }
            ]}
          />
        </Field>
        {s3 && (
          <Field
            id={fieldId('manifest')}
            label={trans.__('Input format')}
            error={p.errorOf('manifest')}
            help={trans.__(
              'A manifest file lists the S3 objects that make up the data.'
            )}
          >
            <label className="jp-Autopilot-checkbox">
              <input
                id={fieldId('manifest')}
                type="checkbox"
                checked={p.form.manifest}
                onChange={e => p.update({ manifest: e.target.checked })}
              />
              {trans.__('The input is a manifest file')}
            </label>
          </Field>
        )}
      </div>

      <section
        className="jp-AutopilotCreate-preview"
        aria-label={trans.__('Data preview')}
        aria-busy={p.previewing}
      >
        <h4>{trans.__('Preview')}</h4>
        {p.previewing && <Loading label={trans.__('Reading the file…')} />}
        {!p.previewing && p.previewError !== null && (
          <ErrorMessage
            error={p.previewError}
            title={trans.__('Cannot read this file.')}
            onRetry={() =>
              p.onPreview(
                s3 && uploadPath ? uploadPath : p.form.input_uri,
                p.form.delimiter
              )
            }
          />
        )}
        {!p.previewing && p.previewError === null && !fullPreview && (
          <p className="jp-Autopilot-muted">
            {trans.__(
              'Choose a file to see its first rows, column types and missing values.'
            )}
          </p>
        )}
        {!p.previewing && fullPreview && (
          <>
            {stale && (
              <Notice kind="info">
                {trans.__(
                  'This preview is of %1; press Preview to read the new location.',
                  fullPreview.uri
                )}
              </Notice>
            )}
            <PreviewSummary preview={fullPreview} />
            {(fullPreview.warnings ?? []).map((w, i) => (
              <Notice kind="warning" key={i}>
                {w}
              </Notice>
            ))}
            <PreviewTable
              preview={fullPreview}
              caption={trans.__(
                'First %1 rows of %2',
                fullPreview.rows.length,
                fullPreview.uri
              )}
            />
          </>
        )}
      </section>
    </div>
  );
}
