/**
 * The file types the plugin's "Create Autopilot Experiment" context menu item
 * appears on (CSV, gzipped CSV), registered when JupyterLab lacks them.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ITranslator } from '@jupyterlab/translation';
import { spreadsheetIcon } from '@jupyterlab/ui-components';

/** File types the "Create Autopilot Experiment" context menu item appears on. */
export const CSV_FILE_TYPE = 'csv';
export const CSV_GZ_FILE_TYPE = 'autopilot-csv-gz';

/**
 * Make sure CSV files (and gzipped CSV) have a file type, so the file browser
 * tags them and the context menu item can target them.
 */
export function registerFileTypes(
  app: JupyterFrontEnd,
  trans: ReturnType<ITranslator['load']>
): void {
  const registry = app.docRegistry;
  if (!registry.getFileType(CSV_FILE_TYPE)) {
    registry.addFileType({
      name: CSV_FILE_TYPE,
      displayName: trans.__('CSV File'),
      extensions: ['.csv'],
      mimeTypes: ['text/csv'],
      icon: spreadsheetIcon,
      contentType: 'file',
      fileFormat: 'text'
    });
  }
  const gzTypes = registry.getFileTypesForPath('data.csv.gz');
  if (!gzTypes.some(t => t.extensions.includes('.csv.gz'))) {
    registry.addFileType({
      name: CSV_GZ_FILE_TYPE,
      displayName: trans.__('Compressed CSV File'),
      extensions: ['.csv.gz'],
      mimeTypes: ['application/gzip'],
      icon: spreadsheetIcon,
      contentType: 'file',
      fileFormat: 'base64'
    });
  }
}
