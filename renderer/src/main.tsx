import { bootstrap, loadRestOfQueueAfterPaint } from './actions';
import { errorMessage, getApi } from './api';
import type { Boot } from './components/App';
import './styles.css';

// A file dropped anywhere but the drop zone must not make the window navigate to it.
for (const type of ['dragover', 'drop'] as const) {
  document.addEventListener(type, (event) => event.preventDefault());
}

// The first page of the queue and the rest of what the first paint needs are asked for at
// once, before the React chunk (ui.tsx) is even evaluated: this module and its imports are
// the store and the bridge, a few KB, so the answers travel while react-dom compiles. The
// app lives as long as the page: its subscriptions are never stopped.
const booting = getApi() ? bootstrap() : null;
// Until App listens, the outcome is kept here (a failure is shown by App).
let settled: Boot | undefined;
booting?.then(
  () => (settled = { state: 'ready' }),
  (error: unknown) => (settled = { state: 'failed', message: errorMessage(error) }),
);
const ui = import('./ui');

/**
 * How long the first render waits for those answers. One render with the queue's rows costs
 * less than a render of the empty window followed by one with the rows, and the window is
 * painted in its theme's background meanwhile; a core slow to answer gets the empty window
 * ("Loading the queue…") after this.
 */
const FIRST_RENDER_WAIT_MS = 300;

const root = document.getElementById('root');
let rendered = false;
let markRendered: () => void = () => undefined;
const firstRender = new Promise<void>((resolve) => (markRendered = resolve));
function render(): void {
  if (!root) return;
  void ui.then(({ renderApp }) => {
    if (rendered) return;
    rendered = true;
    renderApp(root, booting, settled);
    markRendered();
  });
}
if (booting) {
  void booting.then(render, render);
  setTimeout(render, FIRST_RENDER_WAIT_MS);
  // The other ids once the rows of the first page are drawn and painted (not while the React
  // chunk is still loading: its answer would be parsed before the first render).
  void Promise.all([booting, firstRender]).then(loadRestOfQueueAfterPaint, () => undefined);
} else {
  render();
}
