/**
 * "Edit the command myself" ticked and unticked: a template the person typed is kept while the
 * fields are shown, and comes back when it is ticked again (unticking threw it away).
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FORM,
  buildCommand,
  commandOf,
  ownCommandToggled,
} from '../../../../../renderer/src/components/tools/presetCommand';

describe('ownCommandToggled', () => {
  it('starts the own command from what the fields build', () => {
    const own = ownCommandToggled({ ...EMPTY_FORM, crf: 28 }, true);
    expect(own.advanced).toBe(buildCommand({ ...EMPTY_FORM, crf: 28 }));
  });

  it('keeps a typed template while unticked and brings it back when ticked again', () => {
    const typed = '-i {{in_file}} -vf hflip {{out_file}}';
    const off = ownCommandToggled({ ...EMPTY_FORM, advanced: typed }, false);
    expect(off.advanced).toBeNull();
    // The fields build the command meanwhile; the typing waits.
    expect(commandOf(off)).toBe(buildCommand(EMPTY_FORM));
    expect(ownCommandToggled({ ...off, crf: 30 }, true)).toEqual({
      ...EMPTY_FORM,
      crf: 30,
      advanced: typed,
    });
  });

  it('keeps nothing when the template was what the fields built', () => {
    const built = ownCommandToggled(EMPTY_FORM, true);
    const off = ownCommandToggled(built, false);
    expect(off).toEqual(EMPTY_FORM);
    // Changed fields since: ticking again builds from them.
    expect(ownCommandToggled({ ...off, crf: 18 }, true).advanced).toBe(
      buildCommand({ ...EMPTY_FORM, crf: 18 }),
    );
  });
});
