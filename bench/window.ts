/**
 * The window with 10,000 queued jobs, in real Chromium against the real core (through the
 * e2e harness: the same IPC router main uses), side by side with today's list: the renderer
 * of f4c71b1 (main before the virtual list), built in the same run (BENCH_BASE=<ref> for another).
 *
 *   npx tsx bench/window.ts            (build the renderer first: npm run build:renderer)
 *
 * BENCH_BASE=none measures this checkout alone; BENCH_ROUNDS=n (default 2) repeats the
 * rounds and prints each figure's median beside its best (the machine is shared);
 * BENCH_DETAIL=1 prints where the time to the rows went (resource timings, paints, marks).
 *
 * Per contender: rows on screen (navigation start to the first painted row), the longest task
 * while loading, while flinging the list, and while 50 jobs report progress (main's progress
 * patches at the change stream's pace, 10 a second, pushed through the harness as main pushes
 * them), a keystroke in the file-name field (keydown to the next frame), the renderer's heap
 * after a GC, and its JavaScript gzipped. Each round also types the same keys in a bare <input> on
 * an empty page: the floor of the end-to-end key figures, which include the wait for a frame.
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { createIpcCore } from '../electron/core/ipc/appBinding';
import type { QueuePatch } from '../shared/jobs';
import { QUEUE_UPDATE_CHANNEL } from '../shared/ipc/channels';
import { openWindowBench, ROWS_PROBE } from './support/windowBench';
import { startHarness } from '../tests/e2e/harness/server';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const root = resolve(import.meta.dirname, '..');
// Today's list: main before the virtual list was merged (f4c71b1, the list that drew every
// row and held every job).
const baseRef = process.env.BENCH_BASE ?? 'f4c71b1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DETAIL = process.env.BENCH_DETAIL === '1';

function buildBase(): string {
  // Under node_modules so its imports resolve to this checkout's packages; never committed.
  const dir = join(root, 'node_modules/.cache/bench-window-base');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git archive ${baseRef} renderer shared vite.config.ts | tar -x -C "${dir}"`, {
    cwd: root,
    stdio: 'inherit',
  });
  execSync(`"${join(root, 'node_modules/.bin/vite')}" build --logLevel error`, {
    cwd: dir,
    stdio: 'inherit',
  });
  return join(dir, 'dist/renderer');
}

function jsGzipKb(dir: string): number {
  const assets = join(dir, 'assets');
  let total = 0;
  for (const f of readdirSync(assets))
    if (f.endsWith('.js')) total += gzipSync(readFileSync(join(assets, f))).length;
  return total / 1024;
}

/** Installed before the app's scripts, beside ROWS_PROBE: long tasks and long frames. */
const PROBE = `
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: true });
  // Long frames with what ran in them (printed with BENCH_DETAIL=1).
  window.__frames = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__frames.push([e.startTime,
    Math.round(e.duration) + ' ms (script ' + e.scripts.map((s) => s.invokerType + ' ' + s.invoker + ' ' +
    s.sourceFunctionName + ' ' + Math.round(s.duration)).join(', ') + '; render ' +
    Math.round(e.startTime + e.duration - (e.renderStart || e.startTime)) + ')']); })
    .observe({ type: 'long-animation-frame', buffered: true });
`;

interface Figures {
  rowsMs: number;
  loadLongest: number;
  flingLongest: number;
  progressLongest: number;
  keyMedian: number;
  keyMax: number;
  /** The page's own work for a key: its events' script and the rendering of its frame. */
  keyWorkMedian: number;
  keyWorkMax: number;
  /** The same figures in the File name field of "Change", all the jobs selected. */
  changeKeyMedian: number;
  changeKeyMax: number;
  changeKeyWorkMedian: number;
  changeKeyWorkMax: number;
  heapMb: number;
  domNodes: number;
  jsKb: number;
}

async function longestSince(page: Page, since: number): Promise<number> {
  const tasks = await page.evaluate(
    () => (globalThis as unknown as { __longTasks: [number, number][] }).__longTasks,
  );
  return Math.round(Math.max(0, ...tasks.filter(([t]) => t >= since).map(([, d]) => d)));
}

/** What happened before the rows, in start order: requests, paints, marks, long tasks. */
function timeline(page: Page): Promise<string> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      performance: {
        getEntries(): {
          entryType: string;
          name: string;
          startTime: number;
          duration: number;
          requestStart?: number;
          responseStart?: number;
          transferSize?: number;
        }[];
      };
      __longTasks: [number, number][];
      __frames: [number, string][];
      __rowsAt: number;
    };
    const rows: [number, string][] = [];
    for (const e of g.performance.getEntries()) {
      if (e.startTime > g.__rowsAt + 1) continue;
      const name = e.name.replace(/^https?:\/\/[^/]+/, '');
      if (e.entryType === 'long-animation-frame') continue;
      if (e.entryType === 'resource' || e.entryType === 'navigation')
        rows.push([
          e.startTime,
          `${e.entryType} ${name} sent +${Math.round((e.requestStart ?? 0) - e.startTime)} first byte +${Math.round((e.responseStart ?? 0) - e.startTime)} done +${Math.round(e.duration)} ${e.transferSize ?? 0} B`,
        ]);
      else rows.push([e.startTime, `${e.entryType} ${name} ${Math.round(e.duration)} ms`]);
    }
    for (const [t, d] of g.__longTasks)
      if (t <= g.__rowsAt) rows.push([t, `long task ${Math.round(d)} ms`]);
    for (const [t, text] of g.__frames) if (t <= g.__rowsAt) rows.push([t, `long frame ${text}`]);
    rows.push([g.__rowsAt, 'rows on screen']);
    return rows
      .sort((a, b) => a[0] - b[0])
      .map(([t, text]) => `${String(Math.round(t)).padStart(6)} ${text}`)
      .join('\n');
  });
}

const now = (page: Page) => page.evaluate(() => performance.now());

function medianOf(values: number[], scale = 1): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * scale) / scale;
}

interface Key {
  /** keydown's timestamp to the task after the frame that follows it. */
  total: number;
  /** The key's events' handlers and what React committed for them. */
  script: number;
  /** The frame's rendering: its animation frame callback to the task after it. */
  render: number;
}

/** Types 16 keys at the end of `field` and times each (see measure). */
async function typeKeys(page: Page, field: Locator): Promise<Key[]> {
  await page.evaluate(() => {
    const g = globalThis as unknown as {
      __keys?: Key[];
      addEventListener(t: string, l: (e: { timeStamp: number }) => void, c: boolean): void;
      requestAnimationFrame(cb: () => void): void;
      performance: { now(): number };
    };
    // Listeners installed once per page; each field's keys start from an empty list below.
    if (g.__keys) return;
    g.__keys = [];
    let key: Key | null = null;
    let started = 0;
    for (const type of ['keydown', 'keypress', 'beforeinput', 'input']) {
      g.addEventListener(
        type,
        (e) => {
          started = g.performance.now();
          if (type !== 'keydown') return;
          const current: Key = (key = { total: 0, script: 0, render: 0 });
          g.requestAnimationFrame(() => {
            const frame = g.performance.now();
            setTimeout(() => {
              const end = g.performance.now();
              current.render = end - frame;
              current.total = end - e.timeStamp;
              g.__keys?.push(current);
            }, 0);
          });
        },
        true,
      );
      g.addEventListener(
        type,
        () => {
          if (key) key.script += g.performance.now() - started;
        },
        false,
      );
    }
  });
  await field.click({ timeout: 10_000 });
  await page.keyboard.press('End');
  await page.evaluate(() => ((globalThis as unknown as { __keys: Key[] }).__keys = []));
  for (const ch of '-converted-again') await page.keyboard.type(ch, { delay: 60 });
  await page.waitForTimeout(200);
  return page.evaluate(() => (globalThis as unknown as { __keys: Key[] }).__keys);
}

async function measure(
  page: Page,
  url: string,
  push: (patches: QueuePatch[]) => void,
  runningIds: string[],
): Promise<Omit<Figures, 'jsKb'>> {
  await page.addInitScript(PROBE + ROWS_PROBE);
  const told = page.waitForEvent('console', {
    predicate: (m) => m.text().startsWith('__rows '),
    timeout: 120_000,
  });
  await page.goto(url);
  const rowsMs = Math.round(Number((await told).text().slice('__rows '.length)));
  await page.waitForTimeout(1500);
  const loadLongest = await longestSince(page, 0);
  if (DETAIL) console.log(await timeline(page));

  // Fling: big wheel steps over the list, as fast as the page takes them.
  const list = page.locator('[data-testid="job-list"], ol.jobs').first();
  const box = await list.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 150));
  let t = await now(page);
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, 1200);
  for (let i = 0; i < 20; i++) await page.mouse.wheel(0, -2400);
  await page.waitForTimeout(500);
  const flingLongest = await longestSince(page, t);

  // 50 jobs report progress, ten batches a second, for three seconds.
  t = await now(page);
  for (let tick = 0; tick < 30; tick++) {
    push(
      runningIds.map((id) => ({
        type: 'progress',
        id,
        stage: 'processing',
        progress: {
          fraction: tick / 30,
          bytesDone: 0,
          bytesTotal: null,
          speed: null,
          etaSeconds: 30 - tick,
        },
      })),
    );
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(300);
  const progressLongest = await longestSince(page, t);

  // Keystrokes in the file-name field: keydown to the frame after the input (end to end), and
  // the page's own work in it: the script of the key's events (from a window capture listener,
  // the first to run, to a window bubble listener, the last, after React's commit in the
  // microtask between) plus the frame's rendering (its animation frame callback to the task
  // after it: style, layout, paint). The rest of the end-to-end time is waiting: for the
  // input to reach the page and for the next frame (up to 16.7 ms at 60 Hz).
  const keys = await typeKeys(page, page.getByLabel('File name'));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  const domNodes = await page.evaluate(
    () =>
      (
        globalThis as unknown as {
          document: { getElementsByTagName(t: string): { length: number } };
        }
      ).document.getElementsByTagName('*').length,
  );
  // The same in the File name field of "Change" with all 10,000 jobs selected (after the
  // heap, which the selection would grow; none for a window without the dialog).
  let changeKeys: Key[] = [];
  try {
    await page.getByLabel('Select all').click({ timeout: 10_000 });
    await page.getByRole('button', { name: /^Change/ }).click({ timeout: 10_000 });
    changeKeys = await typeKeys(page, page.getByRole('dialog').getByLabel('File name'));
    await page.keyboard.press('Escape');
  } catch {
    console.log('(no "Change" dialog to type in)');
  }
  if (DETAIL)
    for (const [name, list] of [
      ['File name', keys],
      ['Change: File name', changeKeys],
    ] as const)
      console.log(
        `${name}: keys (end to end / script + render ms): ${list.map((k) => `${Math.round(k.total)}/${k.script.toFixed(1)}+${k.render.toFixed(1)}`).join(' ')}`,
      );
  return {
    rowsMs,
    loadLongest,
    flingLongest,
    progressLongest,
    keyMedian: medianOf(keys.map((k) => k.total)),
    keyMax: Math.round(Math.max(0, ...keys.map((k) => k.total))),
    keyWorkMedian: medianOf(
      keys.map((k) => k.script + k.render),
      10,
    ),
    keyWorkMax: Math.round(Math.max(0, ...keys.map((k) => k.script + k.render)) * 10) / 10,
    changeKeyMedian: medianOf(changeKeys.map((k) => k.total)),
    changeKeyMax: Math.round(Math.max(0, ...changeKeys.map((k) => k.total))),
    changeKeyWorkMedian: medianOf(
      changeKeys.map((k) => k.script + k.render),
      10,
    ),
    changeKeyWorkMax:
      Math.round(Math.max(0, ...changeKeys.map((k) => k.script + k.render)) * 10) / 10,
    heapMb: Math.round(heap.usedSize / 1e5) / 10,
    domNodes,
  };
}

/**
 * The floor of the keystroke figures: the same keys, measured the same way, in a bare <input>
 * on an empty page in the same browser. End to end includes waiting for the next frame (up to
 * 16.7 ms at 60 Hz) whatever the page does, so a page's maximum is read beside this one's.
 */
async function bareInputKeys(browser: Browser): Promise<Key[]> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto('data:text/html,<!doctype html><input aria-label="File name" value="clip">');
    return await typeKeys(page, page.getByLabel('File name'));
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  const { core, browser, added, host, close } = await openWindowBench('window', JOBS);
  try {
    console.log(`${added.length} jobs queued (paused).`);
    // The first 50 on screen report progress.
    const runningIds = added.slice(0, 50);

    const runs: Record<string, Figures[]> = {};
    const bare: Key[][] = [];
    const contenders: [string, string][] = [['virtual list', join(root, 'dist/renderer')]];
    if (baseRef !== 'none') contenders.unshift(['today (' + baseRef + ')', buildBase()]);
    for (let round = 0; round < ROUNDS; round++) {
      // Every other round in the reverse order: neither contender always goes first.
      for (const [name, dir] of round % 2 === 0 ? contenders : [...contenders].reverse()) {
        const harness = await startHarness({ core: createIpcCore(core, host), rendererDir: dir });
        // Progress patches go to the page the way main's router pushes them.
        const sse = (patches: QueuePatch[]) => harness.push(QUEUE_UPDATE_CHANNEL, patches);
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const figures = await measure(page, harness.url, sse, runningIds);
        await page.close();
        await harness.close();
        const entry = { ...figures, jsKb: Math.round(jsGzipKb(dir) * 10) / 10 };
        (runs[name] ??= []).push(entry);
        console.log(name, JSON.stringify(entry));
      }
      bare.push(await bareInputKeys(browser));
    }
    // The best of the rounds and their median (the machine is shared: one slow round says
    // more about the load than about the page).
    const table: Record<string, Record<string, string>> = {};
    for (const [name, list] of Object.entries(runs)) {
      const row: Record<string, string> = {};
      for (const k of Object.keys(list[0] ?? {}) as (keyof Figures)[]) {
        const sorted = list.map((f) => f[k]).sort((a, b) => a - b);
        const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
        row[k] = sorted.length > 1 ? `${median} (${sorted[0]})` : String(median);
      }
      table[name] = row;
    }
    console.log(`\nmedian (best) of ${ROUNDS} rounds:`);
    console.table(table);
    // Each round's median and maximum, then their medians, as the table's key columns are.
    const perRound = bare.map((keys) => ({
      median: medianOf(keys.map((k) => k.total)),
      max: Math.round(Math.max(0, ...keys.map((k) => k.total))),
      workMax: Math.round(Math.max(0, ...keys.map((k) => k.script + k.render)) * 10) / 10,
    }));
    const mid = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
    console.log(
      `a bare <input> on an empty page (the floor): keyMedian ${mid(perRound.map((r) => r.median))}, ` +
        `keyMax ${mid(perRound.map((r) => r.max))} (each round: ${perRound.map((r) => r.max).join(', ')}), ` +
        `keyWorkMax ${mid(perRound.map((r) => r.workMax))} ms`,
    );
  } finally {
    await close();
  }
}

await main();
