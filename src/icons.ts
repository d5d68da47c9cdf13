import { LabIcon } from '@jupyterlab/ui-components';

import autopilotSvg from '../style/icons/autopilot.svg';

/** The Autopilot icon (sidebar tab, launcher card, commands). */
export const autopilotIcon = new LabIcon({
  name: 'jupyter-autopilot:autopilot',
  svgstr: autopilotSvg
});
