import { describe, expect, it } from 'vitest';
import { checkPresetCommand } from '../../../../../electron/core/presets/commandSafety';
import { BUILT_IN_PRESETS } from '../../../../../shared/presets';

describe('checkPresetCommand', () => {
  it('passes every built-in preset', () => {
    for (const preset of BUILT_IN_PRESETS)
      for (const command of preset.ffmpegCommands ?? [preset.ffmpegCommand ?? ''])
        expect(checkPresetCommand(command), preset.id).toBeNull();
  });

  it.each([
    ['-i {{in_file}} -i /etc/passwd {{out_file}}'],
    ['-i {{in_file}} -i ../x.mp4 {{out_file}}'],
    ['-i {{in_file}} -i http://127.0.0.1/x {{out_file}}'],
    ['-i {{in_file}} -vf movie=/etc/hosts {{out_file}}'],
    ['-i {{in_file}} {{out_file}}; rm -rf ~'],
  ])('refuses %s with a reason', (command) => {
    expect(checkPresetCommand(command)).toMatch(/\w/);
  });
});
