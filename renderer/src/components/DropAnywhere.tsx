/**
 * Files and folders dropped anywhere in the window are added to the queue. While something
 * from the file manager is dragged over the window, one highlight covers it all and says
 * what a drop will do; nothing else lights up, so there is one place to look.
 */
import { useEffect, useRef, useState } from 'react';
import { addPaths } from '../actions';
import { getApi } from '../api';
import { selectCanAddFiles, selectDefaultPreset, useAppStore } from '../store/appStore';

interface DragLike {
  preventDefault(): void;
  dataTransfer: {
    types: readonly string[];
    files: ArrayLike<File>;
    dropEffect: string;
  } | null;
}

/** Only a drag of files (not text or a link from inside the page) is a drop to the queue. */
function carriesFiles(event: DragLike): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

export function DropAnywhere() {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const ready = useAppStore(selectCanAddFiles);
  const preset = useAppStore(selectDefaultPreset);

  useEffect(() => {
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setOver(true);
    };
    const overWindow = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      // Without this the browser would open the file in place of the app.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = ready ? 'copy' : 'none';
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth.current = 0;
      setOver(false);
      if (!ready) return;
      const files = Array.from(event.dataTransfer?.files ?? []);
      void addPaths(getApi()?.pathsForFiles(files) ?? []);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overWindow);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overWindow);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [ready]);

  if (!over) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-card">
        <svg viewBox="0 0 24 24" className="dropzone-icon">
          <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <p className="drop-overlay-title">
          {ready ? 'Drop to add to the queue' : 'Loading… drop again in a moment'}
        </p>
        {ready && (
          <p className="drop-overlay-detail">
            Folders are searched for media. Each file becomes a job
            {preset ? ` with ${preset.name}, or the default preset for its kind.` : '.'}
          </p>
        )}
      </div>
    </div>
  );
}
