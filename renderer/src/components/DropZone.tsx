import { pickAndAdd } from '../actions';
import { selectCanAddFiles, useAppStore } from '../store/appStore';

/**
 * "Add files…" and "Add folder…": the keyboard and pointer way in (WCAG 2.5.7), since
 * nothing needs dragging. Drops are taken by the whole window (DropAnywhere), which has the
 * one highlight, so this box does not light up on its own.
 */
export function DropZone() {
  const ready = useAppStore(selectCanAddFiles);
  return (
    <div className="dropzone">
      <button
        type="button"
        className="dropzone-button"
        aria-describedby="dropzone-help"
        disabled={!ready}
        onClick={() => void pickAndAdd('files')}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" className="dropzone-icon">
          <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <span className="dropzone-title">Add files…</span>
      </button>
      <p id="dropzone-help" className="dropzone-help">
        or drop files and folders anywhere in this window. Folders are searched for media.
      </p>
      <button
        type="button"
        className="secondary"
        disabled={!ready}
        onClick={() => void pickAndAdd('folder')}
      >
        Add folder…
      </button>
    </div>
  );
}
