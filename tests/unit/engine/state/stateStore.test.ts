import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../../shared/redact';
import { StateStore } from '../../../../engine/state/stateStore';
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
