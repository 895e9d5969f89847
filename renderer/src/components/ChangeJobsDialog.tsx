/**
 * Change… : the preset, output folder or file name of jobs that have not started, for one job
 * (from its row) or for the selection. It changes those jobs only: the picker and the output
 * settings (the defaults for files added next) stay as they are. Presets that cannot take the
 * jobs' kind of file are not offered, and the list says why; a name template that cannot make
 * a name blocks saving, with the reason under the field; a folder comes from main's dialog.
 * Main checks everything again and refuses a job that has started meanwhile.
 */
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { describeTemplateProblem, previewFileName } from '../../../shared/fileNameTemplate';
import type { JobChange } from '../../../shared/jobs';
import type { MediaKind } from '../../../shared/presetTypes';
import { intent } from '../actions';
import { errorMessage, requireApi } from '../api';
import { presetGroups } from '../lib/presetPicker';
import { presetsForKinds } from '../lib/selection';
import { reportBulk } from '../selectionActions';
import { useAppStore } from '../store/appStore';
import { useChange, type ChangeTarget } from './changeJobsState';

type FolderMode = 'keep' | 'source' | 'folder';

function kindList(kinds: readonly MediaKind[]): string {
  return kinds.length === 0 ? 'these' : kinds.join(' and ');
}

export function ChangeJobsDialog() {
  const { target, returnTo } = useChange();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    if (target && !dialog.current?.open) dialog.current?.showModal();
  }, [target]);

  const onClose = () => {
    const back = returnTo?.isConnected ? returnTo : null;
    useChange.setState({ target: null, returnTo: null });
    back?.focus();
  };

  return (
    <dialog
      ref={dialog}
      className="modal change-dialog"
      aria-labelledby="change-title"
      onClose={onClose}
    >
      {target && (
        // A new form per opening: its fields start from the target, not from the last one.
        <ChangeForm
          key={target.ids.join(',')}
          target={target}
          close={() => dialog.current?.close()}
        />
      )}
    </dialog>
  );
}

function ChangeForm({ target, close }: { target: ChangeTarget; close(): void }) {
  const presets = useAppStore((s) => s.presets);
  const { current, kinds, ids } = target;
  const n = ids.length;
  const { offered, refused } = useMemo(() => presetsForKinds(presets, kinds), [presets, kinds]);
  const groups = useMemo(() => presetGroups(offered), [offered]);

  const [presetId, setPresetId] = useState(current?.presetId ?? '');
  const [folderMode, setFolderMode] = useState<FolderMode>(
    current ? (current.outputDir === null ? 'source' : 'folder') : 'keep',
  );
  const [folder, setFolder] = useState<string | null>(current?.outputDir ?? null);
  const [template, setTemplate] = useState(current?.nameTemplate ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const fieldIds = {
    preset: useId(),
    presetHint: useId(),
    where: useId(),
    name: useId(),
    nameHint: useId(),
    status: useId(),
  };

  // The change: only what differs from where the dialog started.
  const change: JobChange = {};
  if (presetId !== '' && presetId !== current?.presetId) change.presetId = presetId;
  if (folderMode === 'source' && (!current || current.outputDir !== null)) change.outputDir = null;
  if (folderMode === 'folder' && folder !== null && folder !== current?.outputDir)
    change.outputDir = folder;
  const templateChanged = current ? template !== current.nameTemplate : template !== '';
  if (templateChanged) change.nameTemplate = template;

  const templateProblem = templateChanged ? describeTemplateProblem(template) : null;
  const needsFolder = folderMode === 'folder' && folder === null;
  const nothing = Object.keys(change).length === 0;
  // Why Save is off; the template's own reason is shown under its field.
  const blocked = templateProblem
    ? 'Fix the file name to save.'
    : needsFolder
      ? 'Choose the folder first.'
      : null;

  const preset = presets.find((p) => p.id === (presetId || current?.presetId));
  const output = preset?.outputs[0];
  const preview =
    current && !templateProblem
      ? previewFileName(template, {
          sourceName: current.sourceName,
          presetId: preset?.id,
          outputExtension: output?.extension,
          suffix: output?.suffix,
        })
      : null;

  const chooseFolder = async () => {
    const dir = await intent((a) => a.dialogs.pickOutputDir());
    if (dir) {
      setFolder(dir);
      setFolderMode('folder');
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (blocked || nothing || saving) return;
    setSaving(true);
    setProblem(null);
    try {
      const result = await requireApi().jobs.change({ ids, ...change });
      if (result.done.length === 0) {
        // Nothing took the change: say why here, where the person is.
        const reasons = [...new Set(result.skipped.map((r) => r.reason))];
        setProblem(
          reasons.length > 0 ? `Not changed. ${reasons.join(' ')}` : 'Nothing was changed.',
        );
        return;
      }
      reportBulk('change', result);
      close();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSaving(false);
    }
  };

  const title = current
    ? `Change ${current.sourceName}`
    : `Change ${n} selected ${n === 1 ? 'job' : 'jobs'}`;
  return (
    <form onSubmit={(e) => void save(e)}>
      <div className="modal-head">
        <h2 id="change-title">{title}</h2>
        <button type="button" className="ghost small" onClick={close}>
          Close
        </button>
      </div>
      <div className="modal-body change-body">
        <p className="hint">
          Only {n === 1 ? 'this job changes' : 'these jobs change'}; files you add next still get
          the preset and output settings of the main window.
        </p>

        <div className="field">
          <label htmlFor={fieldIds.preset}>Preset</label>
          <select
            id={fieldIds.preset}
            value={presetId}
            aria-describedby={fieldIds.presetHint}
            onChange={(e) => setPresetId(e.target.value)}
          >
            {!current && <option value="">Keep each job’s preset</option>}
            {current && !offered.some((p) => p.id === current.presetId) && (
              // Its preset is no longer offered (edited, unavailable): shown, kept unless changed.
              <option value={current.presetId}>
                {presets.find((p) => p.id === current.presetId)?.name ?? current.presetId} (now)
              </option>
            )}
            {groups.map((group) => (
              <optgroup key={group.key} label={group.label}>
                {group.options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <div id={fieldIds.presetHint} className="hint">
            {refused.length === 0 ? (
              `Every preset can take ${kindList(kinds)} files.`
            ) : (
              <details>
                <summary>
                  {refused.length} {refused.length === 1 ? 'preset is' : 'presets are'} not listed:{' '}
                  {kinds.length > 1
                    ? `${refused.length === 1 ? 'it does' : 'they do'} not take every kind here (${kindList(kinds)})`
                    : `${refused.length === 1 ? 'it cannot' : 'they cannot'} take ${kindList(kinds)} files`}
                </summary>
                <ul>
                  {refused.map((r) => (
                    <li key={r.preset.id}>
                      {r.preset.name}: {r.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </div>
        </div>

        <div role="radiogroup" aria-labelledby={fieldIds.where} className="field">
          <span id={fieldIds.where} className="label">
            Save results
          </span>
          {!current && (
            <label className="choice">
              <input
                type="radio"
                name="change-where"
                checked={folderMode === 'keep'}
                onChange={() => setFolderMode('keep')}
              />
              Where each job saves them now
            </label>
          )}
          <label className="choice">
            <input
              type="radio"
              name="change-where"
              checked={folderMode === 'source'}
              onChange={() => setFolderMode('source')}
            />
            Next to each source file
          </label>
          <label className="choice">
            <input
              type="radio"
              name="change-where"
              checked={folderMode === 'folder'}
              onChange={() => {
                // Checked at once; without a folder yet, main's dialog asks for one (cancelled:
                // Save waits for "Choose folder…").
                setFolderMode('folder');
                if (folder === null) void chooseFolder();
              }}
            />
            In a folder
          </label>
          {folderMode === 'folder' && (
            <div className="folder-row">
              {folder !== null ? (
                <code className="path" data-testid="change-folder">
                  {folder}
                </code>
              ) : (
                <span className="hint">No folder chosen yet.</span>
              )}
              <button type="button" className="secondary small" onClick={() => void chooseFolder()}>
                Choose folder…
              </button>
            </div>
          )}
        </div>

        <div className="field">
          <label htmlFor={fieldIds.name}>File name</label>
          <input
            id={fieldIds.name}
            type="text"
            spellCheck={false}
            autoComplete="off"
            value={template}
            placeholder={current ? undefined : 'Keep each job’s name'}
            aria-invalid={templateProblem !== null}
            aria-describedby={fieldIds.nameHint}
            onChange={(e) => setTemplate(e.target.value)}
          />
          <p id={fieldIds.nameHint} className={templateProblem ? 'hint error-text' : 'hint'}>
            {templateProblem ??
              (preview?.ok ? (
                <>
                  Result: <output className="preview">{preview.fileName}</output>
                </>
              ) : (
                <>
                  Tokens {'{name}'} {'{format}'} {'{preset}'} {'{ext}'} {'{date}'}
                </>
              ))}
          </p>
        </div>

        {problem && (
          <p role="alert" className="error-text">
            {problem}
          </p>
        )}
        <div className="modal-actions">
          <p id={fieldIds.status} className="hint" aria-live="polite">
            {blocked ?? (nothing ? 'Nothing changed yet.' : '')}
          </p>
          <button type="button" className="secondary" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            disabled={blocked !== null || nothing || saving}
            aria-describedby={fieldIds.status}
          >
            {n === 1 ? 'Save' : `Save for ${n} jobs`}
          </button>
        </div>
      </div>
    </form>
  );
}
