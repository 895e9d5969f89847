/**
 * Where the time to the first rows goes, task by task: one load of this checkout's renderer
 * with 10,000 queued jobs (as bench/window.ts, after a first load that warms the server),
 * traced by Chromium (CDP Tracing), printed as the page's main-thread tasks up to the rows
 * with what each spent its time on, and their sum in wall and CPU time (the CPU time moves
 * far less with the machine's load, so two builds compare better by it).
 *
 *   npm run build:renderer && npx tsx bench/window-trace.ts
 *
 * BENCH_TRACE_DIR=<dist/renderer of another build>; BENCH_TRACE_OUT=trace.json writes the
 * trace (open it in DevTools' Performance panel); BENCH_TRACE_PROFILE=1 adds a sampled CPU
 * profile beside it (trace.cpuprofile; it slows the page); BENCH_TRACE_KEYS=1 then types in
 * the File name field and prints those tasks; BENCH_TRACE_DOM=1 counts the page's elements;
 * BENCH_TRACE_CATEGORIES overrides the trace categories.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createIpcCore } from '../electron/core/ipc/appBinding';
import { openWindowBench, ROWS_PROBE } from './support/windowBench';
import { startHarness } from '../tests/e2e/harness/server';

const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const root = resolve(import.meta.dirname, '..');

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event (wall time less time descheduled). */
  tdur?: number;
  pid: number;
  tid: number;
  args?: {
    name?: string;
    data?: { url?: string; functionName?: string; frame?: string; documentLoaderURL?: string };
  };
}

/** A task's children summed by what they are (script by file, layout, style, paint, …). */
function describe(task: TraceEvent, inside: TraceEvent[]): string {
  const sums = new Map<string, number>();
  for (const e of inside) {
    let key = e.name;
    if (e.name === 'EvaluateScript' || e.name === 'v8.compileModule' || e.name === 'v8.compile')
      key = `${e.name} ${(e.args?.data?.url ?? '').split('/').pop()}`;
    else if (e.name === 'FunctionCall') key = `FunctionCall ${e.args?.data?.functionName ?? ''}`;
    else if (
      e.name === 'TimerFire' ||
      e.name === 'FireAnimationFrame' ||
      e.name === 'EventDispatch'
    )
      key = e.name;
    else if (
      !/Layout|Paint|Style|Parse|Compile|GC|Microtask|ResizeObserver|Commit|Script/i.test(e.name)
    )
      continue;
    sums.set(key, (sums.get(key) ?? 0) + (e.dur ?? 0) / 1000);
  }
  return [...sums]
    .filter(([, ms]) => ms >= 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([k, ms]) => `${k} ${ms.toFixed(1)}`)
    .join('; ');
}

async function main(): Promise<void> {
  const { core, browser, host, close } = await openWindowBench('trace', JOBS);
  try {
    const harness = await startHarness({
      core: createIpcCore(core, host),
      // BENCH_TRACE_DIR: another build (bench/window.ts leaves the base's under node_modules/.cache).
      rendererDir: resolve(process.env.BENCH_TRACE_DIR ?? join(root, 'dist/renderer')),
    });
    // A first load warms the server and the browser's own caches, as a second launch would.
    const warm = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await warm.goto(harness.url);
    await warm.waitForSelector('li.job');
    await warm.close();

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(ROWS_PROBE);
    const events: TraceEvent[] = [];
    const cdp = await page.context().newCDPSession(page);
    cdp.on(
      'Tracing.dataCollected',
      (m) => void events.push(...(m.value as unknown as TraceEvent[])),
    );
    const done = new Promise<void>((ok) => cdp.once('Tracing.tracingComplete', () => ok()));
    await cdp.send('Tracing.start', {
      categories:
        process.env.BENCH_TRACE_CATEGORIES ??
        'devtools.timeline,v8.execute,blink.user_timing,loading,toplevel',
      transferMode: 'ReportEvents',
    });
    // A sampled profile too (BENCH_TRACE_PROFILE=1; it slows the page down).
    const profiling = process.env.BENCH_TRACE_PROFILE === '1';
    if (profiling) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const told = page.waitForEvent('console', { predicate: (m) => m.text().startsWith('__rows ') });
    await page.goto(harness.url);
    const rowsAt = Number((await told).text().slice('__rows '.length));
    await page.waitForTimeout(300);
    // BENCH_TRACE_KEYS=1: then 16 keys typed in the File name field, as bench/window.ts does.
    let keysFrom = Infinity;
    if (process.env.BENCH_TRACE_KEYS === '1') {
      const field = page.getByLabel('File name');
      await field.click();
      await page.keyboard.press('End');
      keysFrom = await page.evaluate(() => performance.now());
      for (const ch of '-converted-again') await page.keyboard.type(ch, { delay: 60 });
      await page.waitForTimeout(200);
    }
    if (process.env.BENCH_TRACE_DOM)
      console.log(
        await page.evaluate(() => {
          const d = (
            globalThis as unknown as {
              document: { querySelectorAll(s: string): { length: number } };
            }
          ).document;
          return [
            '*',
            'option',
            'li.job',
            '.add-panel *',
            '.queue-panel *',
            '.topbar *',
            'li.job:first-child *',
            'svg *',
            '.kind-defaults *',
          ]
            .map((sel) => `${sel}: ${d.querySelectorAll(sel).length}`)
            .join(', ');
        }),
      );
    if (profiling && process.env.BENCH_TRACE_OUT) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(
        process.env.BENCH_TRACE_OUT.replace(/\.json$/, '.cpuprofile'),
        JSON.stringify(profile),
      );
    }
    await cdp.send('Tracing.end');
    await done;
    if (process.env.BENCH_TRACE_OUT)
      writeFileSync(process.env.BENCH_TRACE_OUT, JSON.stringify({ traceEvents: events }));

    // The page's main thread: where its navigation started (the time origin: fetchStart).
    const nav = events
      .filter(
        (e) =>
          e.name === 'navigationStart' && e.args?.data?.documentLoaderURL?.startsWith(harness.url),
      )
      .at(-1);
    if (!nav) throw new Error('No navigation in the trace.');
    const t0 =
      events.filter((e) => e.name === 'fetchStart' && e.pid === nav.pid).at(-1)?.ts ?? nav.ts;
    const onMain = events
      .filter((e) => e.pid === nav.pid && e.tid === nav.tid && e.ph === 'X')
      .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    // Top-level tasks only (a task's own children are nested inside it).
    const tasks: TraceEvent[] = [];
    for (const e of onMain) {
      const last = tasks.at(-1);
      if (!last || e.ts >= last.ts + (last.dur ?? 0)) tasks.push(e);
    }
    console.log(`rows on screen ${Math.round(rowsAt)} ms (the page's fetch start = 0)`);
    const totals = new Map<string, number>();
    for (const task of tasks) {
      const start = (task.ts - t0) / 1000;
      const ms = (task.dur ?? 0) / 1000;
      if (start < 0 || start > rowsAt) continue;
      const end = task.ts + (task.dur ?? 0);
      const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts < end);
      for (const e of inside)
        if (
          /^(Layout|UpdateLayoutTree|Paint|PrePaint|Layerize|ParseHTML|MinorGC|MajorGC)$/.test(
            e.name,
          )
        )
          totals.set(e.name, (totals.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
      totals.set('all tasks', (totals.get('all tasks') ?? 0) + ms);
      totals.set('all tasks CPU', (totals.get('all tasks CPU') ?? 0) + (task.tdur ?? 0) / 1000);
      if (ms >= 3)
        console.log(
          `${start.toFixed(0).padStart(6)} +${ms.toFixed(1).padStart(5)}  ${describe(task, inside)}`,
        );
    }
    if (keysFrom < Infinity) {
      console.log('while typing:');
      for (const task of tasks) {
        const start = (task.ts - t0) / 1000;
        const ms = (task.dur ?? 0) / 1000;
        if (start < keysFrom || ms < 1) continue;
        const end = task.ts + (task.dur ?? 0);
        const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts < end);
        console.log(
          `${start.toFixed(0).padStart(6)} +${ms.toFixed(1).padStart(5)}  ${describe(task, inside)}`,
        );
      }
    }
    console.log(
      'main thread until the rows: ' +
        [...totals].map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(', ') +
        ' ms',
    );
    await page.close();
    await harness.close();
  } finally {
    await close();
  }
}

await main();
