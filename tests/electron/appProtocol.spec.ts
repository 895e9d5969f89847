/**
 * The window's content comes from app://renderer/ with the CSP as a response header, and the
 * policy holds in the page, which has no Node (the webPreferences themselves are checked on the
 * built bundle by tests/integration/electron/bundles.test.ts).
 */
import { APP_CSP, APP_ENTRY_URL } from '../../electron/main/appProtocolPath';
import { expect, snap, test } from './fixtures';

interface ProbeGlobals {
  __inlineRan?: boolean;
  renderio?: object;
  require?: unknown;
  process?: unknown;
  document: {
    createElement(tag: 'script'): { textContent: string };
    head: { appendChild(node: unknown): void };
  };
}

test('app:// serves the renderer with its CSP header, and the policy is enforced', async ({
  launchApp,
}) => {
  const { app, page, cspViolations } = await launchApp({ expectCspViolations: true });
  expect(page.url()).toBe(APP_ENTRY_URL);

  // What main's protocol handler answers, asked through Chromium's network stack in main.
  const answers = await app.evaluate(
    async ({ net }, urls) =>
      Promise.all(
        urls.map(async (url) => {
          const response = await net.fetch(url);
          await response.arrayBuffer();
          return {
            status: response.status,
            csp: response.headers.get('content-security-policy'),
            type: response.headers.get('content-type'),
            nosniff: response.headers.get('x-content-type-options'),
          };
        }),
      ),
    [APP_ENTRY_URL, 'app://renderer/..%2fpackage.json', 'app://elsewhere/index.html'],
  );
  expect(answers[0]).toEqual({
    status: 200,
    csp: APP_CSP,
    type: 'text/html; charset=utf-8',
    nosniff: 'nosniff',
  });
  // An encoded separator climbing out of dist/renderer, and another host: not served.
  expect(answers.slice(1).map((a) => a.status)).toEqual([404, 404]);

  // What the page itself gets from its own origin.
  const seenByPage = await page.evaluate(async () => {
    const response = await fetch('/index.html');
    return { status: response.status, csp: response.headers.get('content-security-policy') };
  });
  expect(seenByPage).toEqual({ status: 200, csp: APP_CSP });

  // Enforced: an inline script injected into the page does not run, and says so.
  const probe = await page.evaluate(() => {
    const g = globalThis as unknown as ProbeGlobals;
    const script = g.document.createElement('script');
    script.textContent = 'globalThis.__inlineRan = true';
    g.document.head.appendChild(script);
    return {
      inlineRan: g.__inlineRan === true,
      require: typeof g.require,
      process: typeof g.process,
      bridge: typeof g.renderio,
    };
  });
  expect(probe).toEqual({
    inlineRan: false,
    require: 'undefined',
    process: 'undefined',
    bridge: 'object',
  });
  await expect.poll(() => cspViolations.join('\n')).toMatch(/script-src/);

  await snap(page, 'app-protocol');
});
