import { beforeEach, describe, expect, it } from 'vitest';
import { useSelection } from '../../../../renderer/src/store/selectionStore';
import type { JobBrief } from '../../../../shared/jobs';
import { job } from '../jobFixture';

const brief = (id: string, stage: JobBrief['stage'] = 'queued'): JobBrief => ({
  id,
  stage,
  resumeStage: null,
  mediaKind: 'video',
  sourceGone: false,
});

beforeEach(() => useSelection.getState().clear());

describe('the selection, kept by id', () => {
  it('selects all of a queue far longer than a screen, and counts what each action applies to', () => {
    const all = Array.from({ length: 10_000 }, (_, i) =>
      brief(`j${i}`, i % 2 ? 'failed' : 'queued'),
    );
    useSelection.getState().setAll(all);
    const s = useSelection.getState();
    expect(s.briefs.size).toBe(10_000);
    expect(s.briefs.has('j9999')).toBe(true);
    expect(s.counts).toEqual({ cancel: 5000, retry: 5000, remove: 10_000, change: 5000 });
  });

  it('follows main: a stage that changes, a job that goes; others are ignored', () => {
    const sel = useSelection.getState();
    sel.toggle(brief('a'));
    sel.toggle(brief('b'));
    sel.toggle(brief('c'));
    sel.toggle(brief('c')); // unticked again
    const before = useSelection.getState().briefs;
    // A progress tick that changes no stage, and a job not selected: the same selection object.
    useSelection.getState().follow([
      { type: 'progress', id: 'a', stage: 'queued', progress: job('a').progress },
      { type: 'upsert', job: job('z', { stage: 'failed' }) },
    ]);
    expect(useSelection.getState().briefs).toBe(before);
    useSelection.getState().follow([
      { type: 'progress', id: 'a', stage: 'uploading', progress: job('a').progress },
      { type: 'upsert', job: job('b', { stage: 'cancelled' }) },
    ]);
    expect(useSelection.getState().counts).toEqual({ cancel: 1, retry: 1, remove: 1, change: 0 });
    useSelection.getState().follow([{ type: 'remove', ids: ['b', 'z'] }]);
    expect([...useSelection.getState().briefs.keys()]).toEqual(['a']);
  });

  it('a range ticks or unticks many at once and keeps the anchor; select all and clear drop it', () => {
    const sel = useSelection.getState();
    sel.toggle(brief('a'));
    expect(useSelection.getState().anchor).toBe('a');
    useSelection.getState().setRange([brief('a'), brief('b'), brief('c', 'failed')], true);
    expect([...useSelection.getState().briefs.keys()]).toEqual(['a', 'b', 'c']);
    expect(useSelection.getState().anchor).toBe('a');
    expect(useSelection.getState().counts.retry).toBe(1);
    useSelection.getState().setRange([brief('b'), brief('c', 'failed')], false);
    expect([...useSelection.getState().briefs.keys()]).toEqual(['a']);
    useSelection.getState().setAll([brief('a'), brief('b')]);
    expect(useSelection.getState().anchor).toBeNull();
    useSelection.getState().toggle(brief('b'));
    useSelection.getState().clear();
    expect(useSelection.getState().anchor).toBeNull();
  });
});
