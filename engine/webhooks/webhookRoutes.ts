/** /api/v1/webhook-config: put, get (never the secret), delete. */
import { API_PREFIX, type WebhookConfig } from '../../shared/renderioApi';
import type { EngineContext } from '../engineContext';
import { describeInputUrlProblem } from '../files/inputUrl';
import { readJsonObject } from '../http/body';
import { issue, unprocessable } from '../http/errors';
import { sendJson } from '../http/respond';
import type { Router } from '../http/router';

export function registerWebhookRoutes(router: Router, ctx: EngineContext): void {
  const path = `${API_PREFIX}/webhook-config`;

  router.add('PUT', path, async (c) => {
    const body = await readJsonObject(c.req, ctx.config.jsonLimitBytes);
    const problem = body.url === undefined ? 'field required' : describeInputUrlProblem(body.url);
    const issues = problem
      ? [issue(['url'], `url ${problem}`, body.url === undefined ? 'missing' : 'value_error')]
      : [];
    if (
      body.secret !== undefined &&
      body.secret !== null &&
      (typeof body.secret !== 'string' || body.secret === '')
    )
      issues.push(issue(['secret'], 'secret must be a non-empty string', 'type_error'));
    if (issues.length > 0) throw unprocessable(issues);
    const url = body.url as string;
    // A PUT (re)activates the webhook and starts the failure count afresh.
    ctx.store.state.webhook = {
      url,
      secret: (body.secret as string | undefined) ?? null,
      is_active: true,
      consecutive_failures: 0,
      disabled_at: null,
    };
    ctx.store.changed();
    sendJson(c, 200, { success: true, url });
  });

  router.add('GET', path, (c) => {
    const hook = ctx.store.state.webhook;
    const body: WebhookConfig = hook
      ? {
          configured: true,
          url: hook.url,
          is_active: hook.is_active,
          consecutive_failures: hook.consecutive_failures,
          disabled_at: hook.disabled_at,
        }
      : { configured: false };
    sendJson(c, 200, body);
  });

  router.add('DELETE', path, (c) => {
    ctx.store.state.webhook = null;
    ctx.store.changed();
    sendJson(c, 200, { success: true });
  });
}
