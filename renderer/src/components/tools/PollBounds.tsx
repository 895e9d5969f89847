/**
 * Settings > "Checking jobs on RenderIO": the shortest and longest wait between two status
 * checks of a running command. The panel checks a pair by main's rules (each range, min ≤ max)
 * before sending it; main checks again and applies the change to running jobs at their next
 * check. A refusal is said beside the fields and the fields keep what was typed, marked
 * invalid, until it is corrected.
 */
import { useId, useRef, useState } from 'react';
import type { ToolsSettings } from '../../../../shared/ipc/contract';
import { describePollIntervalProblem, POLL_BOUNDS_LIMITS } from '../../../../shared/pollBounds';
import { capitalized } from '../../lib/format';
import { useToolsStore } from '../../store/toolsStore';
import { clearToolMessage, toolIntent } from './toolsActions';

const BOUNDS = [
  { key: 'min', label: 'Shortest wait between checks (seconds)' },
  { key: 'max', label: 'Longest wait between checks (seconds)' },
] as const;

export function PollBounds({ settings }: { settings: ToolsSettings }) {
  const setSettings = useToolsStore((s) => s.setSettings);
  const say = useToolsStore((s) => s.say);
  const [problem, setProblem] = useState<string | null>(null);
  const inputs = useRef<Record<'min' | 'max', HTMLInputElement | null>>({ min: null, max: null });
  const hintId = useId();
  const problemId = useId();
  const refuse = (text: string) => {
    setProblem(text);
    say('error', text);
  };
  // Both fields go together: a pair typed as a whole (10 and 20 after 0.25 and 5) is checked
  // as that pair, and a refusal leaves neither half saved. One at a time, in order: a refusal answers at once while a save waits for the disk, so
  // overlapping calls (leave one field for the other) would end on the older answer.
  const queue = useRef<Promise<void>>(Promise.resolve());
  const save = () => {
    queue.current = queue.current.then(saveNow);
  };
  const saveNow = async (): Promise<void> => {
    const typed = { min: inputs.current.min?.value ?? '', max: inputs.current.max?.value ?? '' };
    const pair = { min: Number(typed.min), max: Number(typed.max) };
    for (const { key, label } of BOUNDS)
      if (typed[key].trim() === '' || !Number.isFinite(pair[key]))
        return refuse(`${label.replace(' (seconds)', '')}: enter a number of seconds.`);
    // Checked here by main's own rules (shared/pollBounds.ts), so a refusal reads in their plain
    // words and nothing is sent; main checks again and has the last word.
    const rule = describePollIntervalProblem(pair);
    if (rule) return refuse(`${capitalized(rule)}.`);
    const held = (useToolsStore.getState().settings ?? settings).pollIntervalSeconds;
    if (pair.min === held.min && pair.max === held.max) {
      // Put back as saved: a refusal said at the top no longer holds.
      if (useToolsStore.getState().message?.kind === 'error') clearToolMessage();
      return setProblem(null);
    }
    const saved = await toolIntent(
      (api) => api.appSettings.update({ pollIntervalSeconds: pair }),
      (s) =>
        `Jobs on RenderIO are checked every ${s.pollIntervalSeconds.min} to ${s.pollIntervalSeconds.max} seconds, from their next check on.`,
    );
    if (saved) {
      setSettings(saved);
      setProblem(null);
    } else {
      // Past the rules above, a refusal is main's own (the settings file could not be written):
      // beside the fields too, as said at the top.
      setProblem(useToolsStore.getState().message?.text ?? 'Those values were not saved.');
    }
  };
  return (
    <fieldset className="poll-bounds framed">
      <legend>Checking jobs on RenderIO</legend>
      <p className="poll-hint" id={hintId}>
        How long to wait between two checks of a running conversion. The app adapts within these
        bounds; jobs on this computer are checked at their own pace.
      </p>
      {BOUNDS.map(({ key, label }) => {
        const { low, high } = POLL_BOUNDS_LIMITS[key];
        return (
          <label key={key}>
            {label}
            <input
              type="number"
              inputMode="decimal"
              step="any"
              min={low}
              max={high}
              defaultValue={settings.pollIntervalSeconds[key]}
              aria-invalid={problem !== null}
              aria-describedby={problem ? `${hintId} ${problemId}` : hintId}
              ref={(el) => {
                inputs.current[key] = el;
              }}
              onBlur={save}
            />
          </label>
        );
      })}
      {problem && (
        <p className="field-problem" id={problemId}>
          {problem}
        </p>
      )}
    </fieldset>
  );
}
