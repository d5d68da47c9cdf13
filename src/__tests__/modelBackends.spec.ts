/**
 * `AutopilotModel.forBackend(name)`: one model per backend of the server (its own
 * client and health, the timing and change signals shared), and the backend the
 * sidebars show (`selected`, `selectBackend`).
 */
import { modelOnServer } from './healthServer';

/** A model on a server offering local (the default) and sagemaker. */
function model(): ReturnType<typeof modelOnServer> {
  return modelOnServer(['local', 'sagemaker']);
}

describe('AutopilotModel backends', () => {
  it('gives one model per backend, each asking its own health', async () => {
    const { root, asked } = model();
    await root.health();
    const sagemaker = root.forBackend('sagemaker');
    expect(sagemaker).not.toBe(root);
    expect(sagemaker.backend).toBe('sagemaker');
    expect(root.forBackend('sagemaker')).toBe(sagemaker);
    expect(sagemaker.forBackend(null)).toBe(root);
    // The default backend's name is the default model (no ?backend= sent).
    expect(root.forBackend('local')).toBe(root);
    expect((await sagemaker.health()).backend).toBe('sagemaker');
    expect(root.healthValue?.backend).toBe('local');
    expect(asked).toEqual([null, 'sagemaker']);
  });

  it('shares the poll timing and the change signals', () => {
    const { root } = model();
    const sagemaker = root.forBackend('sagemaker');
    const heard: (string | null)[] = [];
    root.experimentsChanged.connect((_, name) => heard.push(name));
    sagemaker.experimentsChanged.emit('on-sagemaker');
    expect(heard).toEqual(['on-sagemaker']);
    sagemaker.timing = { ...root.timing, active: 5000 };
    expect(root.timing.active).toBe(5000);
  });

  it('selects the backend the sidebars show, telling once per change', async () => {
    const { root } = model();
    await root.health();
    const selections: (string | null)[] = [];
    root.backendSelected.connect((_, name) => selections.push(name));
    expect(root.selected).toBe(root);
    root.forBackend('sagemaker').selectBackend('sagemaker');
    expect(root.selected).toBe(root.forBackend('sagemaker'));
    root.selectBackend('sagemaker');
    root.selectBackend('local');
    expect(root.selected).toBe(root);
    expect(selections).toEqual(['sagemaker', null]);
  });
});
