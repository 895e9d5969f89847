import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { bootstrap } from './actions';
import { getApi } from './api';
import { App } from './components/App';
import './styles.css';

// A file dropped anywhere but the drop zone must not make the window navigate to it.
for (const type of ['dragover', 'drop'] as const) {
  document.addEventListener(type, (event) => event.preventDefault());
}

// The first page of the queue and the rest of what the first paint needs are asked for now,
// while React renders the empty window, not after it has (an effect would start them a
// render later). The app lives as long as the page: its subscriptions are never stopped.
const booting = getApi() ? bootstrap() : null;
// A failure is shown by App, which may only be listening a moment later.
booting?.catch(() => undefined);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App booting={booting} />
    </StrictMode>,
  );
}
