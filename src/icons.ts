import { LabIcon } from '@jupyterlab/ui-components';

import autopilotSvg from '../style/icons/autopilot.svg';
import endpointsSvg from '../style/icons/endpoints.svg';

/** The Autopilot icon (sidebar tab, launcher card, commands). */
export const autopilotIcon = new LabIcon({
  name: 'jupyter-autopilot:autopilot',
  svgstr: autopilotSvg
});

/** The endpoints icon (second sidebar tab: deployed models). */
export const endpointsIcon = new LabIcon({
  name: 'jupyter-autopilot:endpoints',
  svgstr: endpointsSvg
});
