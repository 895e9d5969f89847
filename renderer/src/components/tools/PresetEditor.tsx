/**
 * Create, duplicate, edit, delete, import and export custom presets, and make any preset the
 * default for its media kind. The form builds the command; "Edit the command myself" turns it
 * into a template field, and the fields it would be built from (codecs, quality, size, trim)
 * are hidden, a note saying the command is what runs: a field left on screen that changes
 * nothing would mislead. Every change is checked live by the engine's rules, the reason shown
 * beside the field, and the command previewed.
 */
import { useMemo, useState } from 'react';
import type { Preset } from '../../../../shared/presetTypes';
import { useAppStore } from '../../store/appStore';
import { useToolsStore } from '../../store/toolsStore';
import {
  AUDIO_CODECS,
  CONTAINERS,
  EMPTY_FORM,
  VIDEO_CODECS,
  commandOf,
  formProblems,
  ownCommandToggled,
  presetInputOf,
  type PresetForm,
} from './presetCommand';
import { importReportMessage } from './toolMessages';
import { clearToolMessage, reloadPresets, toolIntent } from './toolsActions';

function formOf(preset: Preset): PresetForm {
  const ext = preset.outputs[0]?.extension ?? 'mp4';
  return {
    ...EMPTY_FORM,
    name: preset.name,
    container: ext in CONTAINERS ? ext : 'mp4',
    advanced: preset.ffmpegCommand ?? preset.ffmpegCommands?.join(' ') ?? '',
  };
}

/** "video files", "video and audio files": the kinds a preset takes, in words. */
function kindsInWords(kinds: readonly string[]): string {
  return `${kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}` : kinds[0]} files`;
}

/**
 * "Use as default for video files": the preset mixed drops give files of its kind (its
 * category) when the picked preset cannot take them; the same setting, and the same call to
 * main, as the select under the picker (KindDefaults.tsx). A preset that cannot take its own
 * category's kind (the built-in Animated GIF: an image it makes from video) is not offered,
 * and the row says why instead of offering what main would refuse.
 */
function UseAsKindDefault({ preset }: { preset: Preset }) {
  const current = useAppStore((s) => s.settings?.kindDefaults[preset.category]);
  const kind = preset.category;
  if (current === undefined || preset.unavailable) return null;
  if (current === preset.id) return <span className="is-default">Default for {kind} files</span>;
  if (!preset.accepts.includes(kind))
    return (
      <span className="meta not-default">
        Not a default for {kind} files: it takes {kindsInWords(preset.accepts)} only.
      </span>
    );
  return (
    <button
      type="button"
      className="secondary small"
      aria-label={`Use as default for ${kind} files: ${preset.name}`}
      onClick={() =>
        void toolIntent(
          (api) => api.settings.update({ kindDefaults: { [kind]: preset.id } }),
          () => `${preset.name} is now the default for ${kind} files in mixed drops.`,
        ).then((next) => next && useAppStore.getState().setSettings(next))
      }
    >
      Use as default for {kind} files
    </button>
  );
}

export function PresetEditor() {
  const presets = useAppStore((s) => s.presets);
  const [editing, setEditing] = useState<{ id: string | null; form: PresetForm } | null>(null);
  const problems = useMemo(() => (editing ? formProblems(editing.form) : []), [editing]);
  // Opening or leaving the form is a new step: what the last action said goes.
  const openForm = (next: { id: string | null; form: PresetForm } | null) => {
    clearToolMessage();
    setEditing(next);
  };
  const set = (patch: Partial<PresetForm>) =>
    setEditing((e) => (e ? { ...e, form: { ...e.form, ...patch } } : e));

  const save = async () => {
    if (!editing) return;
    const preset = presetInputOf(editing.form);
    const saved = await toolIntent(
      (api) =>
        editing.id
          ? api.presetEditor.update({ id: editing.id, preset })
          : api.presetEditor.create({ preset }),
      (p) => `Saved "${p.name}".`,
    );
    if (saved) {
      setEditing(null);
      await reloadPresets();
    }
  };
  const duplicate = async (id: string) => {
    const copy = await toolIntent(
      (api) => api.presetEditor.duplicate({ id }),
      (p) => `Made "${p.name}"; you can edit it now.`,
    );
    if (copy) {
      await reloadPresets();
      setEditing({ id: copy.id, form: formOf(copy) });
    }
  };
  const remove = async (preset: Preset) => {
    await toolIntent(
      (api) => api.presetEditor.remove({ id: preset.id }),
      () => `Deleted "${preset.name}".`,
    );
    await reloadPresets();
  };
  const importFile = async () => {
    const report = await toolIntent((api) => api.presetEditor.importFile());
    if (!report) return;
    await reloadPresets();
    const said = importReportMessage(report);
    useToolsStore.getState().say(said.kind, said.text);
  };
  // The person's own command: the fields it would be built from are not used, so not shown.
  const own = editing?.form.advanced != null;

  return (
    <div className="tool-presets">
      <div className="tool-actions">
        {/* The tab's main action, unless a form is open (then Save preset is). */}
        <button
          type="button"
          className={editing ? 'secondary' : undefined}
          onClick={() => openForm({ id: null, form: EMPTY_FORM })}
        >
          New preset
        </button>
        <button type="button" className="secondary" onClick={() => void importFile()}>
          Import presets…
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            void toolIntent(
              (api) => api.presetEditor.exportFile(),
              (path) => (path ? `Exported to ${path}.` : 'Export cancelled.'),
            )
          }
        >
          Export my presets…
        </button>
      </div>
      {editing ? (
        <form
          className="preset-form"
          aria-label={editing.id ? 'Edit preset' : 'New preset'}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            Name
            <input value={editing.form.name} onChange={(e) => set({ name: e.target.value })} />
          </label>
          <label>
            Container
            <select
              value={editing.form.container}
              onChange={(e) => set({ container: e.target.value })}
            >
              {Object.keys(CONTAINERS).map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={editing.form.audioOnly}
              onChange={(e) => set({ audioOnly: e.target.checked })}
            />
            Audio only
          </label>
          {!own && (
            <>
              <label>
                Video codec
                <select
                  value={editing.form.videoCodec}
                  onChange={(e) => set({ videoCodec: e.target.value })}
                >
                  {VIDEO_CODECS.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label>
                Quality
                <select
                  value={editing.form.quality}
                  onChange={(e) => set({ quality: e.target.value as 'crf' | 'bitrate' })}
                >
                  {/* Short enough for the narrowest column; the number's own field says "CRF". */}
                  <option value="crf">Constant quality</option>
                  <option value="bitrate">Bitrate</option>
                </select>
              </label>
              {editing.form.quality === 'crf' ? (
                <label>
                  CRF
                  <input
                    type="number"
                    min={0}
                    max={63}
                    value={editing.form.crf}
                    onChange={(e) => set({ crf: Number(e.target.value) })}
                  />
                </label>
              ) : (
                <label>
                  Video bitrate (kbit/s)
                  <input
                    type="number"
                    min={50}
                    value={editing.form.videoBitrateK}
                    onChange={(e) => set({ videoBitrateK: Number(e.target.value) })}
                  />
                </label>
              )}
              <label>
                Height (0 keeps it; the aspect is kept)
                <input
                  type="number"
                  min={0}
                  value={editing.form.height}
                  onChange={(e) => set({ height: Number(e.target.value) })}
                />
              </label>
              <label>
                Frame rate (0 keeps it)
                <input
                  type="number"
                  min={0}
                  value={editing.form.fps}
                  onChange={(e) => set({ fps: Number(e.target.value) })}
                />
              </label>
              <label>
                Audio codec
                <select
                  value={editing.form.audioCodec}
                  onChange={(e) => set({ audioCodec: e.target.value })}
                >
                  {AUDIO_CODECS.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label>
                Audio bitrate (kbit/s)
                <input
                  type="number"
                  min={8}
                  value={editing.form.audioBitrateK}
                  onChange={(e) => set({ audioBitrateK: Number(e.target.value) })}
                />
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={editing.form.stripAudio}
                  onChange={(e) => set({ stripAudio: e.target.checked })}
                />
                Strip audio
              </label>
              <label>
                Trim start (seconds or hh:mm:ss)
                <input
                  value={editing.form.trimStart}
                  onChange={(e) => set({ trimStart: e.target.value })}
                />
              </label>
              <label>
                Trim end
                <input
                  value={editing.form.trimEnd}
                  onChange={(e) => set({ trimEnd: e.target.value })}
                />
              </label>
            </>
          )}
          <label className="check wide">
            <input
              type="checkbox"
              checked={editing.form.advanced !== null}
              onChange={(e) => {
                const own = e.target.checked;
                setEditing((was) =>
                  was ? { ...was, form: ownCommandToggled(was.form, own) } : was,
                );
              }}
            />
            Edit the command myself (advanced)
          </label>
          {editing.form.advanced !== null && (
            <>
              <p id="preset-own-command" className="wide own-command-note">
                The command below is what runs: codecs, quality, size and trim are set in it.
              </p>
              <label className="wide">
                Command template
                <textarea
                  rows={3}
                  value={editing.form.advanced}
                  aria-invalid={problems.length > 0}
                  aria-describedby="preset-own-command preset-problems"
                  onChange={(e) => set({ advanced: e.target.value })}
                />
              </label>
            </>
          )}
          <p className="wide preview">
            <span>Runs:</span>{' '}
            <code data-testid="command-preview">ffmpeg {commandOf(editing.form)}</code>
          </p>
          <div id="preset-problems" className="wide problems" role="status">
            {problems.length === 0 ? (
              <span className="ok">The engine accepts this preset.</span>
            ) : (
              <ul>
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
          </div>
          <div className="wide tool-actions">
            <button type="submit" className="primary" disabled={problems.length > 0}>
              Save preset
            </button>
            <button type="button" className="secondary" onClick={() => openForm(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <ul className="preset-list" aria-label="Presets">
          {presets.map((p) => (
            <li key={p.id}>
              <span className="name">{p.name}</span>
              <span className="source">
                {p.source === 'built-in' ? 'built-in, read-only' : p.source}
              </span>
              <span className="row-actions">
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => void duplicate(p.id)}
                  aria-label={`Duplicate ${p.name}`}
                >
                  Duplicate
                </button>
                <UseAsKindDefault preset={p} />
                {p.source === 'custom' && (
                  <>
                    <button
                      type="button"
                      className="secondary small"
                      aria-label={`Edit ${p.name}`}
                      onClick={() => openForm({ id: p.id, form: formOf(p) })}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      className="ghost danger small"
                      aria-label={`Delete ${p.name}`}
                      onClick={() => void remove(p)}
                    >
                      Delete
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
