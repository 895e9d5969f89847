/**
 * The Electron double's contextBridge (tests/support/electron/contextBridge.ts) copies values
 * from the preload's world to the page's as Electron's does, and refuses what it refuses; and
 * the preload's world itself (index.ts loadPage: the sandboxed require, webUtils).
 * Sources: docs/api/context-bridge.md ("Parameter / Error / Return Type support") and
 * shell/renderer/api/electron_api_context_bridge.cc; each test names its rule.
 */
import { describe, expect, it } from 'vitest';
import { createElectronDouble } from '../../../support/electron';
import { exposeInWorld } from '../../../support/electron/contextBridge';

/** Exposes `api` under 'api' in a fresh page world and returns what the page sees. */
function exposed<T>(api: T): T {
  const world: Record<string, unknown> = {};
  exposeInWorld(world, 'api', api);
  return world.api as T;
}

/** What calling `fn` throws. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

class ApiError extends Error {
  readonly code = 'E_API';
  constructor(message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

describe('errors across the bridge', () => {
  // electron_api_context_bridge.cc PassValueToOtherContextInner: "Errors aren't serializable
  // currently, we need to pull the message out and re-construct" → v8::Exception::Error(message).
  it('an Error value crossing keeps only its message: a plain Error, without its code, name or subclass', () => {
    const api = exposed({
      make: () => new ApiError('quota exceeded'),
      range: () => Object.assign(new RangeError('too big'), { code: 'E_RANGE' }),
    });
    const error = api.make() as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error.message).toBe('quota exceeded');
    expect(error.name).toBe('Error');
    expect(error.code).toBeUndefined();
    const range = api.range() as Error & { code?: string };
    expect(range).not.toBeInstanceOf(RangeError);
    expect(range.name).toBe('Error');
    expect(range.message).toBe('too big');
    expect(range.code).toBeUndefined();
  });

  // ProxyFunctionWrapper: a thrown exception's "message" is read and rethrown in the caller's
  // world as v8::Exception::Error(message) (electron/electron#25596: custom properties are lost).
  it('an Error thrown by an exposed function arrives as a new Error with only its message', () => {
    const api = exposed({
      fail: () => {
        throw Object.assign(new RangeError('out of range'), { code: 'E_RANGE' });
      },
    });
    const error = thrownBy(() => api.fail()) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error.message).toBe('out of range');
    expect(error.code).toBeUndefined();
  });

  // ProxyFunctionWrapper: a thrown value without a string "message" becomes the fixed text.
  it('a thrown value that is not an Error arrives as Error("An unknown exception occurred in the isolated context, ...")', () => {
    const api = exposed({
      failWithString: () => {
        throw 'plain text';
      },
    });
    const error = thrownBy(() => api.failWithString());
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      'An unknown exception occurred in the isolated context, an error occurred but a valid exception was not thrown.',
    );
  });

  // Promises are proxied; the catch callback passes the rejection with PassValueToOtherContext,
  // whose Error branch keeps only the message.
  it('a promise rejected with an Error arrives rejected with Error(message), without code or subclass', async () => {
    const api = exposed({
      load: () => Promise.reject(Object.assign(new TypeError('not signed in'), { code: 'E_AUTH' })),
    });
    const error = (await api.load().then(
      () => null,
      (e: unknown) => e,
    )) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.name).toBe('Error');
    expect(error.message).toBe('not signed in');
    expect(error.code).toBeUndefined();
  });

  // The then callback: a result PassValueToOtherContext cannot pass rejects the proxied promise
  // with an Error (instead of leaving it pending).
  it('a promise resolving to something the bridge cannot pass (a WeakMap) rejects with an Error', async () => {
    const api = exposed({ load: () => Promise.resolve(new WeakMap()) });
    const error = await api.load().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/could not be cloned/);
  });
});

describe('objects and functions across the bridge', () => {
  // IsPlainObject → CreateProxyForAPI: a NEW object with the own enumerable properties; the
  // prototype (and its methods and getters) is not carried.
  it('a class instance arrives as a plain object without its prototype methods', () => {
    class Job {
      id = 7;
      state = 'queued';
      describe(): string {
        return `job ${this.id}`;
      }
      get label(): string {
        return 'label';
      }
    }
    const original = new Job();
    const api = exposed({ job: original });
    expect(api.job).not.toBe(original);
    expect(api.job).not.toBeInstanceOf(Job);
    expect(Object.getPrototypeOf(api.job)).toBe(Object.prototype);
    expect({ ...api.job }).toEqual({ id: 7, state: 'queued' });
    expect((api.job as { describe?: unknown }).describe).toBeUndefined();
    expect((api.job as { label?: unknown }).label).toBeUndefined();
  });

  // Functions are proxied (a new function in the destination world); a proxy sent back is
  // recognised by kOriginalFunctionPrivateKey and the original is returned.
  it('a function is proxied: the page gets a new function that calls it, and a proxy passed back is the original', () => {
    const calls: unknown[] = [];
    const onUpdate = (value: unknown): string => {
      calls.push(value);
      return 'seen';
    };
    const api = exposed({ onUpdate, isOriginal: (fn: unknown) => fn === onUpdate });
    expect(api.onUpdate).not.toBe(onUpdate);
    expect(api.onUpdate({ n: 1 })).toBe('seen');
    expect(calls).toEqual([{ n: 1 }]);
    expect(api.isOriginal(api.onUpdate)).toBe(true);
  });

  // Anything not plain, not an array, not a function/promise/error is serialized (the
  // CloneableMessage path): a Date and a Map arrive as copies; a WeakMap cannot be cloned.
  it('a Date and a Map arrive as copies; a WeakMap makes exposeInMainWorld throw', () => {
    const when = new Date(86_400_000);
    const sizes = new Map([['a.mp4', 1024]]);
    const api = exposed({ when, sizes });
    expect(api.when).not.toBe(when);
    expect(api.when).toBeInstanceOf(Date);
    expect(api.when.getTime()).toBe(86_400_000);
    expect(api.sizes).not.toBe(sizes);
    expect([...api.sizes]).toEqual([['a.mp4', 1024]]);
    when.setTime(0);
    expect(api.when.getTime()).toBe(86_400_000);

    expect(() => exposeInWorld({}, 'api', { cache: new WeakMap() })).toThrow(/could not be cloned/);
  });

  // kMaxRecursion = 1000: arrays add 1 per level (PassValueToOtherContextInner with depth + 1);
  // objects add 2 (CreateProxyForAPI is called with depth + 1 and passes each property on with
  // depth + 1 again), so an object chain fails at 500 levels.
  it('nesting deeper than 1000 throws "Electron contextBridge recursion depth exceeded": arrays at 1000 levels, objects at 500', () => {
    const arrays = (n: number): unknown => {
      let v: unknown = 'leaf';
      for (let i = 0; i < n; i++) v = [v];
      return v;
    };
    const objects = (n: number): unknown => {
      let v: unknown = 'leaf';
      for (let i = 0; i < n; i++) v = { v };
      return v;
    };
    const tooDeep =
      'Electron contextBridge recursion depth exceeded.  Nested objects deeper than 1000 are not supported.';
    expect(() => exposeInWorld({}, 'api', arrays(999))).not.toThrow();
    expect(() => exposeInWorld({}, 'api', arrays(1000))).toThrow(new TypeError(tooDeep));
    expect(() => exposeInWorld({}, 'api', objects(499))).not.toThrow();
    expect(() => exposeInWorld({}, 'api', objects(500))).toThrow(new TypeError(tooDeep));
  });
});

describe('exposeInMainWorld', () => {
  // ExposeAPI: `if (global.Has(key))` → "Cannot bind an API on top of an existing property on
  // the window object".
  it('refuses a key the window already has, and a second exposure under the same key', () => {
    const world: Record<string, unknown> = { fetch: () => undefined };
    expect(() => exposeInWorld(world, 'fetch', {})).toThrow(
      'Cannot bind an API on top of an existing property on the window object',
    );
    exposeInWorld(world, 'renderio', { a: 1 });
    expect(() => exposeInWorld(world, 'renderio', { a: 2 })).toThrow(
      'Cannot bind an API on top of an existing property on the window object',
    );
    expect(world.renderio).toEqual({ a: 1 });
  });

  // ExposeAPI: DeepFreeze(proxy) then global.SetReadOnlyNonConfigurable(key, proxy).
  it('deep-freezes what it exposes, and the page cannot replace it', () => {
    const world: Record<string, unknown> = {};
    exposeInWorld(world, 'api', { nested: { level: 1, list: [1, 2] } });
    const api = world.api as { nested: { level: number; list: number[] } };
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.nested)).toBe(true);
    expect(Object.isFrozen(api.nested.list)).toBe(true);
    expect(() => {
      api.nested.level = 2;
    }).toThrow(TypeError);
    expect(() => api.nested.list.push(3)).toThrow(TypeError);
    expect(() => {
      world.api = {};
    }).toThrow(TypeError);
    expect(api.nested).toEqual({ level: 1, list: [1, 2] });
  });

  // The same rules through the double's page: the preload runs in its own realm and calls
  // contextBridge.exposeInMainWorld (docs/tutorial/context-isolation.md).
  it("a preload's exposeInMainWorld applies them too: its class instances arrive plain, its errors as Error(message)", () => {
    const electron = createElectronDouble({ userData: '/nonexistent' });
    electron.control.emitReady();
    const win = new electron.main.BrowserWindow({});
    const world = electron.loadPage(
      win,
      `const { contextBridge } = require('electron');
       class Job { constructor() { this.id = 3; } describe() { return 'job'; } }
       contextBridge.exposeInMainWorld('api', {
         job: new Job(),
         fail() { const e = new TypeError('bad input'); e.code = 'E_INPUT'; throw e; },
       });`,
    );
    const api = world.api as { job: Record<string, unknown>; fail(): void };
    expect(Object.getPrototypeOf(api.job)).toBe(Object.prototype);
    expect(api.job).toEqual({ id: 3 });
    expect(api.job.describe).toBeUndefined();
    const error = thrownBy(() => api.fail()) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('Error');
    expect(error.message).toBe('bad input');
    expect(error.code).toBeUndefined();
    electron.control.dispose();
  });
});

describe("the preload's world", () => {
  function windowOf() {
    const electron = createElectronDouble({ userData: '/nonexistent' });
    electron.control.emitReady();
    return { electron, win: new electron.main.BrowserWindow({}) };
  }

  // lib/sandboxed_renderer/preload.ts preloadRequire throws "module not found: <name>" for
  // anything outside the loadable modules (docs/tutorial/sandbox.md).
  it("a sandboxed preload's require refuses Node's modules with Error('module not found: fs')", () => {
    const { electron, win } = windowOf();
    expect(() => electron.loadPage(win, "require('fs');")).toThrow('module not found: fs');
    expect(() => electron.loadPage(win, "require('node:child_process');")).toThrow(
      'module not found: node:child_process',
    );
    electron.control.dispose();
  });

  // docs/api/web-utils.md getPathForFile: "In the case where the File object passed in was
  // constructed in JS and is not backed by a file on disk an empty string is returned."
  it("webUtils.getPathForFile is '' for a File made in JS, and the path for a File from disk", () => {
    const { electron, win } = windowOf();
    const world = electron.loadPage(
      win,
      `const { contextBridge, webUtils } = require('electron');
       contextBridge.exposeInMainWorld('api', { pathOf: (file) => webUtils.getPathForFile(file) });`,
    );
    const api = world.api as { pathOf(file: File): string };
    expect(api.pathOf(new File(['data'], 'made-in-js.mp4'))).toBe('');
    expect(api.pathOf(electron.control.fileWithPath('/videos/clip.mp4'))).toBe('/videos/clip.mp4');
    electron.control.dispose();
  });
});
