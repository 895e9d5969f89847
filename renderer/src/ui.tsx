/**
 * The window's React tree, in a chunk of its own (with react-dom, most of the JavaScript):
 * main.tsx asks main for the first page before this chunk is evaluated, so the answers
 * travel while it compiles (index.html preloads it beside the entry, vite.config.ts).
 */
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { App, type Boot } from './components/App';

/** Draws the window now, in this task: the rows are painted in the next frame. */
export function renderApp(
  root: HTMLElement,
  booting: Promise<unknown> | null,
  settled: Boot | undefined,
): void {
  flushSync(() =>
    createRoot(root).render(
      <StrictMode>
        <App booting={booting} settled={settled} />
      </StrictMode>,
    ),
  );
}
