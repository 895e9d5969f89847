import { memo, useEffect, useRef } from 'react';
import { intent } from '../actions';
import { removeJobsKeepingFocus } from '../commands';
import { canStartConverter, useConverterStart } from '../lib/converterStart';
import { waitingReason } from '../lib/queueState';
import { queuedElsewhereName } from '../lib/runJobsOn';
import { canChangePreset, describeJob, isFinished, RESULT_WARNING_SHORT } from '../lib/stageView';
import { useAppStore } from '../store/appStore';
import { extendSelectionTo, toggleJobSelected } from '../selectionActions';
import { useSelection } from '../store/selectionStore';
import { openChangeJobs } from './changeJobsState';
import { ActionFace, JobActions } from './JobActions';
import { JobResult } from './JobResult';
import { ProgressBar } from './ProgressBar';
import { useSecondClock } from '../lib/useSecondClock';

const KIND_ICON: Record<string, string> = {
  video: 'M4 6h11v12H4zM15 10l5-3v10l-5-3',
  audio: 'M9 18V6l10-2v12M9 18a3 3 0 1 1-3-3 3 3 0 0 1 3 3Zm10-2a3 3 0 1 1-3-3 3 3 0 0 1 3 3Z',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9.5a1.5 1.5 0 1 0 0-.01',
};

interface Props {
  id: string;
  first: boolean;
  last: boolean;
  /** In a virtual list: the row's place, the list's length and its offset from the top (px). */
  index?: number;
  count?: number;
  top?: number;
}

export const JobRow = memo(function JobRow({ id, first, last, index, count, top }: Props) {
  const job = useAppStore((s) => s.queue.jobsById[id]);
  const since = useAppStore((s) => s.queue.stageSince[id]);
  const selected = useSelection((s) => s.briefs.has(id));
  const held = useAppStore((s) => waitingReason(s.queue));
  // Also while a person's start of it runs: until it is up, its jobs still wait for it (the
  // header and the banner say so too), not "retrying now…".
  const starting = useConverterStart((s) => s.starting);
  const converterGivenUp = useAppStore((s) => canStartConverter(s.engine)) || starting;
  // A job runs where it was queued; say so when that is not where new jobs go now.
  const place = useAppStore((s) => queuedElsewhereName(s.vault, job?.settings.profileId));
  const stage = job?.stage;
  const ticking =
    Boolean(job?.retry) ||
    stage === 'stored' ||
    stage === 'submitted' ||
    stage === 'rate-limited' ||
    (stage === 'processing' && job?.progress.fraction === null);
  const now = useSecondClock(ticking);
  // A row's buttons come and go with its stage (Cancel → Retry, Retry → Cancel, → Open).
  // When the one with the focus goes, the focus would fall to the page: it moves to the
  // button that took its place (or the row's name), so a keyboard user keeps their place.
  const row = useRef<HTMLLIElement>(null);
  const ownsFocus = useRef(false);
  useEffect(() => {
    const el = row.current;
    if (!ownsFocus.current || !el) return;
    const active = document.activeElement;
    if (active && active !== document.body && el.contains(active)) return;
    if (active && active !== document.body) {
      ownsFocus.current = false;
      return;
    }
    const target =
      el.querySelector<HTMLElement>('.slot-primary button') ??
      el.querySelector<HTMLElement>('.row-focus');
    target?.focus({ preventScroll: true });
  }, [stage]);
  if (!job) return null;

  const described = describeJob(job, now, since, { converterGivenUp });
  const view = job.stage === 'queued' && held ? { ...described, detail: held } : described;
  const name = job.sourceName;
  const finished = isFinished(job.stage);

  const cancelOrRetry = (verb: 'cancel' | 'retry') => {
    ownsFocus.current = true;
    void intent((a) => (verb === 'cancel' ? a.jobs.cancel({ id }) : a.jobs.retry({ id })));
  };

  return (
    <li
      ref={row}
      onFocus={() => (ownsFocus.current = true)}
      onBlur={(event) => {
        // Focus that moved elsewhere on purpose is not pulled back; a button that vanished
        // (no next target) keeps the row's claim.
        const next = event.relatedTarget;
        if (next instanceof Node && !event.currentTarget.contains(next)) ownsFocus.current = false;
      }}
      className={`job tone-${view.tone}`}
      data-job-id={id}
      data-stage={job.stage}
      data-index={index}
      aria-posinset={index !== undefined ? index + 1 : undefined}
      aria-setsize={count}
      style={top !== undefined ? { transform: `translateY(${top}px)` } : undefined}
      aria-labelledby={`job-${id}-name`}
      aria-describedby={`job-${id}-status`}
    >
      <span className="select">
        <input
          type="checkbox"
          aria-label={`Select ${name}`}
          checked={selected}
          onChange={(e) => {
            // React's change event for a box is the click: Shift-click ticks a range.
            if ((e.nativeEvent as MouseEvent).shiftKey) void extendSelectionTo(id);
            else toggleJobSelected(id);
          }}
        />
      </span>
      <svg aria-hidden="true" viewBox="0 0 24 24" className="kind-icon">
        <path d={KIND_ICON[job.mediaKind ?? 'video'] ?? KIND_ICON.video} />
      </svg>
      <div className="job-main">
        <div className="job-title">
          <span
            id={`job-${id}-name`}
            className="job-name row-focus"
            tabIndex={-1}
            title={job.sourcePath}
          >
            {name}
          </span>
          <span className="badge" title={job.settings.preset.description}>
            {job.settings.preset.name}
          </span>
          {canChangePreset(job) && (
            <button
              type="button"
              className="ghost small action change-job"
              aria-label={`Change ${name}`}
              title="Change this job's preset, output folder or file name"
              aria-haspopup="dialog"
              onClick={(e) =>
                openChangeJobs(
                  {
                    ids: [id],
                    kinds: job.mediaKind ? [job.mediaKind] : [],
                    current: {
                      sourceName: name,
                      presetId: job.settings.presetId,
                      outputDir: job.settings.outputDir,
                      nameTemplate: job.settings.nameTemplate,
                    },
                  },
                  e.currentTarget,
                )
              }
            >
              <ActionFace icon="change" label="Change…" />
            </button>
          )}
          {job.settings.presetChoice === 'kind-default' && (
            <span
              className="place"
              title={`The default preset for ${job.mediaKind ?? 'this kind of'} files`}
            >
              default for {job.mediaKind ?? 'this kind'}
            </span>
          )}
          {place && !finished && (
            <span className="place" title={`Runs on ${place}`}>
              on {place}
            </span>
          )}
        </div>
        <div id={`job-${id}-status`} className="job-status">
          <span className="stage">{view.label}</span>
          {view.detail && (
            <span className="detail" title={view.detail}>
              {view.detail}
            </span>
          )}
          {job.stage === 'done' && job.warning && (
            // Short in the row (its title and Details hold the whole sentence): the output's
            // name beside it still matters most.
            <span className="detail result-warning" title={job.warning}>
              ⚠ {RESULT_WARNING_SHORT}
            </span>
          )}
          {job.stage === 'done' && <JobResult job={job} />}
        </div>
        {view.showBar && (
          <ProgressBar
            label={`Progress of ${name}`}
            fraction={view.fraction}
            valueText={view.valueText}
            tone={view.tone}
          />
        )}
      </div>
      <JobActions
        job={job}
        first={first}
        last={last}
        onRetry={() => cancelOrRetry('retry')}
        onCancel={() => cancelOrRetry('cancel')}
        onRemove={() => void removeJobsKeepingFocus([id])}
      />
    </li>
  );
});
