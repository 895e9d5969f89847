/** Presets shared by the queue's integration tests and the benchmarks. */
import type { Preset } from '../../shared/presetTypes';

/** Copies the stream at its own pace (-re): the command runs (PROCESSING) as long as the clip lasts. */
export const REALTIME_REMUX: Preset = {
  id: 'test-slow',
  name: 'Remux in real time',
  description: '',
  category: 'video',
  accepts: ['video'],
  ffmpegCommand: '-re -i {{in_file}} -c copy {{out_video}}',
  outputs: [{ alias: 'out_video', extension: 'mkv' }],
  source: 'built-in',
};
