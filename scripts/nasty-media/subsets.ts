/**
 * Which inputs and presets a run takes: `all` (the table in docs/NASTY-MEDIA.md) or `small`
 * (the test's subset: one input of each way of going wrong, a preset of each family).
 */
import { BUILT_IN_PRESETS } from '../../shared/presets';
import type { Preset } from '../../shared/presetTypes';
import { NASTY_INPUTS, type NastyInput } from './inputs';

export type SubsetName = 'all' | 'small';

const SMALL_INPUTS = [
  'odd',
  'one-frame',
  'alpha-png',
  'surround',
  'zero-bytes',
  'text',
  'subshell',
  'dash',
];
const SMALL_PRESETS = ['mp4-h264', 'gif', 'image-png', 'mp3'];

export function subset(name: SubsetName): { inputs: NastyInput[]; presets: Preset[] } {
  if (name === 'all') return { inputs: [...NASTY_INPUTS], presets: [...BUILT_IN_PRESETS] };
  return {
    inputs: NASTY_INPUTS.filter((i) => SMALL_INPUTS.includes(i.id)),
    presets: BUILT_IN_PRESETS.filter((p) => SMALL_PRESETS.includes(p.id)),
  };
}
