/**
 * contextBridge's copy rules, for the double of the preload's world and for the e2e page
 * (browser-safe: no Node import). Sources: docs/api/context-bridge.md ("Parameter / Error /
 * Return Type support") and shell/renderer/api/electron_api_context_bridge.cc
 * (PassValueToOtherContext), restated:
 * - primitives pass as they are;
 * - functions become proxies: arguments are passed back the same way, results likewise, and a
 *   thrown error arrives as a new Error carrying only its message (name, class, `code` and other
 *   properties are lost: electron/electron#25596); a thrown value without a string `message`
 *   arrives as Error("An unknown exception occurred in the isolated context, ...")
 *   (ProxyFunctionWrapper); a proxy passed back is the original function;
 * - promises become new promises whose value or rejection is passed the same way; a value the
 *   bridge cannot pass rejects the new promise with an Error (the then/catch callbacks of
 *   PassValueToOtherContextInner), and a result a proxy cannot pass is thrown as an Error;
 * - errors become `new Error(message)`;
 * - arrays are copied element by element; other objects that are not built-in types (class
 *   instances included) become NEW plain objects with their own enumerable string-keyed
 *   properties (prototype and its methods dropped, getters read once);
 * - anything else (Date, Map, Set, RegExp, typed arrays, ...) is structured-cloned, and what
 *   cannot be cloned throws;
 * - nesting deeper than 1000 throws, where each level of an array counts 1 and each level of
 *   an object counts 2 (PassValueToOtherContextInner calls CreateProxyForAPI with depth + 1,
 *   which passes each property on with depth + 1 again), so objects fail at 500 levels;
 * - exposeInMainWorld refuses a key the window already has, and deep-freezes what it exposes.
 */
const MAX_DEPTH = 1000;
/** proxy → the function it stands for, so a function that comes back is the original. */
const originals = new WeakMap<object, unknown>();

/** The built-in kind of an object, by its tag: values may come from another realm (a vm). */
function tagOf(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

const PLAIN_TAGS = new Set(['Object']);

/** A DOM object the bridge hands over as itself (Element, Blob/File) in a window context. */
function isDomWrapper(value: object): boolean {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function errorAcross(error: unknown): Error {
  const message = (error as { message?: unknown } | null)?.message;
  return new Error(typeof message === 'string' ? message : String(error));
}

/** What a proxy throws when its function threw `thrown` (ProxyFunctionWrapper). */
function thrownAcross(thrown: unknown): Error {
  const message =
    thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')
      ? (thrown as { message?: unknown }).message
      : undefined;
  return new Error(
    typeof message === 'string'
      ? message
      : 'An unknown exception occurred in the isolated context, an error occurred but a valid exception was not thrown.',
  );
}

/** A value that could not cross: V8's message for it ("Uncaught ..."), as a plain Error. */
function unpassable(error: unknown): Error {
  return new Error(`Uncaught ${String(error)}`);
}

/** passAcrossBridge for a result or settlement, whose failure becomes a plain Error. */
function passOrError(value: unknown): { value: unknown } | { error: Error } {
  try {
    return { value: passAcrossBridge(value) };
  } catch (error) {
    return { error: unpassable(error) };
  }
}

export function passAcrossBridge(
  value: unknown,
  depth = 0,
  seen: Map<object, unknown> = new Map(),
): unknown {
  if (depth >= MAX_DEPTH)
    throw new TypeError(
      'Electron contextBridge recursion depth exceeded.  Nested objects deeper than 1000 are not supported.',
    );
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  const cached = seen.get(value);
  if (cached !== undefined) return cached;

  if (typeof value === 'function') {
    const original = originals.get(value);
    if (original !== undefined) return original;
    const fn = value as (...args: unknown[]) => unknown;
    const proxy = (...args: unknown[]): unknown => {
      const passedArgs = args.map((a) => passAcrossBridge(a));
      let result: unknown;
      try {
        result = fn(...passedArgs);
      } catch (error) {
        throw thrownAcross(error);
      }
      const passed = passOrError(result);
      if ('error' in passed) throw passed.error;
      return passed.value;
    };
    originals.set(proxy, fn);
    seen.set(value, proxy);
    return proxy;
  }
  const tag = tagOf(value);
  if (tag === 'Promise') {
    const proxied = new Promise((resolve, reject) => {
      (value as Promise<unknown>).then(
        (v) => {
          const passed = passOrError(v);
          if ('error' in passed) reject(passed.error);
          else resolve(passed.value);
        },
        (e: unknown) => {
          const passed = passOrError(e);
          reject('error' in passed ? passed.error : passed.value);
        },
      );
    });
    seen.set(value, proxied);
    return proxied;
  }
  if (tag === 'Error') return errorAcross(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(passAcrossBridge(item, depth + 1, seen));
    return copy;
  }
  if (isDomWrapper(value)) return value;
  // Class instances have the tag 'Object' too: they are copied without their prototype.
  if (PLAIN_TAGS.has(tag)) {
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    for (const key of Object.keys(value))
      copy[key] = passAcrossBridge((value as Record<string, unknown>)[key], depth + 2, seen);
    return copy;
  }
  const cloned = structuredClone(value);
  seen.set(value, cloned);
  return cloned;
}

function deepFreeze(value: unknown, done = new Set<unknown>()): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return;
  if (done.has(value) || ArrayBuffer.isView(value)) return;
  done.add(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key], done);
  Object.freeze(value);
}

/** contextBridge.exposeInMainWorld against a page's global object. */
export function exposeInWorld(world: object, key: string, api: unknown): void {
  if (key in world)
    throw new Error('Cannot bind an API on top of an existing property on the window object');
  const passed = passAcrossBridge(api);
  deepFreeze(passed);
  Object.defineProperty(world, key, { value: passed, enumerable: true, writable: false });
}
