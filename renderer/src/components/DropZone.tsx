import { useRef, useState, type DragEvent } from 'react';
import { addPaths, pickAndAdd } from '../actions';
import { getApi } from '../api';
import { useAppStore } from '../store/appStore';

/**
 * The drop target is also the "Add files…" button (Tab, Enter or Space opens the native
 * dialog in main), so nothing here needs dragging (WCAG 2.5.7). "Add folder…" sits beside it.
 */
export function DropZone() {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const ready = useAppStore((s) => s.settings !== null && s.presets.length > 0);

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    depth.current = 0;
    setOver(false);
    const files = Array.from(event.dataTransfer.files);
    const paths = getApi()?.pathsForFiles(files) ?? [];
    void addPaths(paths);
  };
  const dragProps = {
    onDragEnter: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      depth.current += 1;
      setOver(true);
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDrop,
  };

  return (
    <div className={`dropzone${over ? ' is-over' : ''}`} {...dragProps}>
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
        {over
          ? 'Release to add to the queue'
          : 'or drop files and folders here. Folders are searched for media.'}
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
