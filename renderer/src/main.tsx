import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { bootstrap } from './actions';
import { errorMessage, getApi } from './api';
import { App, type Boot } from './components/App';
import './styles.css';

// A file dropped anywhere but the drop zone must not make the window navigate to it.
for (const type of ['dragover', 'drop'] as const) {
  document.addEventListener(type, (event) => event.preventDefault());
}

// The first page of the queue and the rest of what the first paint needs are asked for at
// once, not from an effect after a first render. The app lives as long as the page: its
// subscriptions are never stopped.
const booting = getApi() ? bootstrap() : null;
// Until App listens, the outcome is kept here (a failure is shown by App).
let settled: Boot | undefined;
booting?.then(
  () => (settled = { state: 'ready' }),
  (error: unknown) => (settled = { state: 'failed', message: errorMessage(error) }),
);

/**
 * How long the first render waits for those answers. One render with the queue's rows costs
 * less than a render of the empty window followed by one with the rows, and the window is
 * painted in its theme's background meanwhile; a core slow to answer gets the empty window
 * ("Loading the queue…") after this.
 */
const FIRST_RENDER_WAIT_MS = 300;

const root = document.getElementById('root');
let rendered = false;
function render(): void {
  if (rendered || !root) return;
  rendered = true;
  // Drawn now, in this task: the rows are painted in the next frame.
  flushSync(() =>
    createRoot(root).render(
      <StrictMode>
        <App booting={booting} settled={settled} />
      </StrictMode>,
    ),
  );
}
if (booting) {
  void booting.then(render, render);
  setTimeout(render, FIRST_RENDER_WAIT_MS);
} else {
  render();
}
