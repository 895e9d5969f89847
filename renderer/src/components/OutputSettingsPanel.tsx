import { useEffect, useId, useState } from 'react';
import { previewFileName } from '../../../shared/fileNameTemplate';
import type { CollisionPolicy } from '../../../shared/jobs';
import { intent, updateSettings } from '../actions';
import { useNameTemplateDraft } from '../lib/nameTemplateDraft';
import { shortPath } from '../lib/shortPath';
import { selectDefaultPreset, useAppStore } from '../store/appStore';

const COLLISIONS: { value: CollisionPolicy; label: string }[] = [
  { value: 'rename', label: 'Keep both (add a number)' },
  { value: 'skip', label: 'Skip the file' },
  { value: 'overwrite', label: 'Replace the existing file' },
];

async function chooseFolder(): Promise<void> {
  const dir = await intent((a) => a.dialogs.pickOutputDir());
  if (dir) await updateSettings({ outputDir: dir });
}

/** Where results go and what they are called; applies to files added from now on. */
export function OutputSettingsPanel() {
  const settings = useAppStore((s) => s.settings);
  const preset = useAppStore(selectDefaultPreset);
  const saved = settings?.nameTemplate;
  const [draft, setDraft] = useState(saved ?? '');
  const [seen, setSeen] = useState(saved);
  const ids = { where: useId(), template: useId(), preview: useId(), collision: useId() };

  // Follow main's value when it changes (first load, a reset), not while typing.
  if (saved !== seen) {
    setSeen(saved);
    if (saved !== undefined) setDraft(saved);
  }

  const output = preset?.outputs[0];
  const preview = previewFileName(draft, {
    sourceName: 'holiday.mov',
    presetId: preset?.id ?? 'webm-vp9',
    outputExtension: output?.extension ?? 'webm',
    suffix: output?.suffix,
  });
  const problem = preview.ok ? null : preview.problem;
  const pending = preview.ok && draft !== saved ? draft : null;
  // Files added while the name is being typed follow it (actions.addPaths reads this).
  useEffect(() => {
    useNameTemplateDraft.getState().set({ problem, pending });
  }, [problem, pending]);

  if (!settings) return null;
  const commit = () => {
    if (preview.ok && draft !== settings.nameTemplate) void updateSettings({ nameTemplate: draft });
  };

  return (
    <fieldset className="output-settings">
      <legend>Output</legend>

      <div role="radiogroup" aria-labelledby={ids.where} className="field">
        <span id={ids.where} className="label">
          Save results
        </span>
        <label className="choice">
          <input
            type="radio"
            name="where"
            checked={settings.outputDir === null}
            onChange={() => void updateSettings({ outputDir: null })}
          />
          Next to each source file
        </label>
        <label className="choice">
          <input
            type="radio"
            name="where"
            checked={settings.outputDir !== null}
            onChange={() => void chooseFolder()}
          />
          In a folder
        </label>
        {settings.outputDir !== null && (
          <div className="folder-row">
            <code className="path" title={settings.outputDir} data-testid="output-folder">
              {shortPath(settings.outputDir)}
            </code>
            <button type="button" className="secondary small" onClick={() => void chooseFolder()}>
              Change folder…
            </button>
          </div>
        )}
        {settings.outputDir !== null && (
          <label className="choice">
            <input
              type="checkbox"
              checked={settings.mirrorTree}
              onChange={(e) => void updateSettings({ mirrorTree: e.target.checked })}
            />
            Recreate the folder structure of added folders
          </label>
        )}
      </div>

      <div className="field">
        <label htmlFor={ids.template}>File name</label>
        <input
          id={ids.template}
          type="text"
          spellCheck={false}
          autoComplete="off"
          value={draft}
          data-field="name-template"
          aria-invalid={!preview.ok}
          aria-describedby={ids.preview}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
          }}
        />
        <p id={ids.preview} className={preview.ok ? 'hint' : 'hint error-text'}>
          {preview.ok ? (
            <>
              Example: <output className="preview">{preview.fileName}</output> · tokens {'{name}'}{' '}
              {'{format}'} {'{preset}'} {'{ext}'} {'{date}'}
            </>
          ) : (
            <>{preview.problem} Files added now are not added until this is fixed.</>
          )}
        </p>
      </div>

      <div className="field">
        <label htmlFor={ids.collision}>If a file with that name exists</label>
        <select
          id={ids.collision}
          value={settings.collision}
          onChange={(e) => void updateSettings({ collision: e.target.value as CollisionPolicy })}
        >
          {COLLISIONS.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
