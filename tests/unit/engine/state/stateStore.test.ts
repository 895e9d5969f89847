import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../shared/redact';
import { StateStore } from '../../../../engine/state/stateStore';
import type { EngineState } from '../../../../engine/state/records';
import { writeFileAtomic } from '../../../../shared/node/atomicWrite';
import { tempDir } from '../../../support/media';

describe('StateStore', () => {
  it('coalesces changes, writes atomically and loads what it wrote', async () => {
    const dir = await tempDir();
    try {
      const store = new StateStore(
        dir.path,
        createLogger('t', () => undefined),
      );
      await store.load();
      for (let i = 0; i < 50; i++) {
        store.state.webhook = {
          url: `http://h/${i}`,
          secret: null,
          is_active: true,
          consecutive_failures: i,
          disabled_at: null,
        };
        store.changed();
      }
      await store.flush();
      expect(JSON.parse(await readFile(store.path, 'utf8')).webhook.consecutive_failures).toBe(49);
      // No temp files left behind.
      expect(await readdir(dir.path)).toEqual(['state.json']);
      const again = new StateStore(
        dir.path,
        createLogger('t', () => undefined),
      );
      await again.load();
      expect(again.state.webhook?.url).toBe('http://h/49');
    } finally {
      await dir.cleanup();
    }
  });

  it('writes a change after the delay, with every change made meanwhile, and at once when flushed', async () => {
    const dir = await tempDir();
    const quiet = createLogger('t', () => undefined);
    const onDisk = async (path: string): Promise<number | null> =>
      readFile(path, 'utf8').then(
        (text) => (JSON.parse(text) as EngineState).webhook?.consecutive_failures ?? null,
        () => null,
      );
    const change = (store: StateStore, n: number): void => {
      store.state.webhook = {
        url: 'http://h/',
        secret: null,
        is_active: true,
        consecutive_failures: n,
        disabled_at: null,
      };
      store.changed();
    };
    try {
      const delayed = new StateStore(join(dir.path, 'a'), quiet, 400);
      const started = performance.now();
      change(delayed, 1);
      await new Promise((r) => setTimeout(r, 20));
      change(delayed, 2);
      // Both changes land in one write, once the first change's delay is over.
      while ((await onDisk(delayed.path)) === null) await new Promise((r) => setTimeout(r, 10));
      expect(performance.now() - started).toBeGreaterThanOrEqual(390);
      expect(await onDisk(delayed.path)).toBe(2);

      // With a delay no test waits out, a flush still writes at once: what a route answers
      // is on disk first, and a flush while a change waits cuts the wait short.
      const held = new StateStore(join(dir.path, 'b'), quiet, 600_000);
      change(held, 3);
      await held.flush();
      expect(await onDisk(held.path)).toBe(3);
      change(held, 4);
      await new Promise((r) => setTimeout(r, 20));
      await held.flush();
      expect(await onDisk(held.path)).toBe(4);
      expect(await readdir(join(dir.path, 'b'))).toEqual(['state.json']);
    } finally {
      await dir.cleanup();
    }
  });

  it('tells each change to its listeners until they stop listening (held answers)', async () => {
    const dir = await tempDir();
    try {
      const store = new StateStore(
        dir.path,
        createLogger('t', () => undefined),
      );
      const told: string[] = [];
      const stopA = store.onChange(() => told.push('a'));
      store.onChange(() => told.push('b'));
      store.changed();
      stopA();
      store.changed();
      expect(told).toEqual(['a', 'b', 'b']);
      await store.flush();
    } finally {
      await dir.cleanup();
    }
  });

  it('writeFileAtomic replaces a file whole', async () => {
    const dir = await tempDir();
    try {
      const path = `${dir.path}/f.json`;
      await writeFileAtomic(path, 'one');
      await writeFileAtomic(path, 'two');
      expect(await readFile(path, 'utf8')).toBe('two');
      expect(await readdir(dir.path)).toEqual(['f.json']);
    } finally {
      await dir.cleanup();
    }
  });
});
