/**
 * Webhook delivery when a command ends: POST {"data": <poll object>, "timestamp": <unix ms>}
 * with `User-Agent: RenderIO-Webhook/1.0` and, when the account has a secret, the signature.
 * A failed attempt (non-2xx, network error, timeout) is retried with backoff. For the account
 * webhook, 8 deliveries failing in a row switch it off until the next PUT.
 */
import type { Logger } from '../../shared/redact';
import type { CommandObject, WebhookDelivery } from '../../shared/renderioApi';
import type { WebhookRecord } from '../state/records';
import { describeUrl } from '../files/fetchToFile';
import { signWebhookBody } from './signature';

export const WEBHOOK_USER_AGENT = 'RenderIO-Webhook/1.0';
export const MAX_CONSECUTIVE_FAILURES = 8;

/**
 * How a delivery ended: `sent` (a 2xx), `gave-up` (every attempt failed), `none` (no webhook
 * to send to), `stopped` (the engine closed first; the caller may send it again later).
 */
export type DeliveryOutcome = 'sent' | 'gave-up' | 'none' | 'stopped';

export interface WebhookDispatcherOptions {
  /** The account config (read each time, so a PUT/DELETE applies at once). */
  config: () => WebhookRecord | null;
  /** Called after the account config changed (persist it). */
  changed: () => void;
  logger: Logger;
  /** Waits before each retry; the attempt count is this length + 1. */
  retryDelaysMs?: number[];
  attemptTimeoutMs?: number;
}

export class WebhookDispatcher {
  private readonly retryDelaysMs: number[];
  private readonly attemptTimeoutMs: number;
  private readonly pending = new Set<Promise<DeliveryOutcome>>();
  private readonly stopping = new AbortController();

  constructor(private readonly o: WebhookDispatcherOptions) {
    this.retryDelaysMs = o.retryDelaysMs ?? [1000, 5000, 30000];
    this.attemptTimeoutMs = o.attemptTimeoutMs ?? 10_000;
  }

  /**
   * Delivers in the background (a per-command URL overrides the account one); the promise
   * tells how it ended and never rejects.
   */
  deliver(command: CommandObject, commandUrl: string | null): Promise<DeliveryOutcome> {
    if (this.stopping.signal.aborted) return Promise.resolve('stopped');
    const account = this.o.config();
    const useAccount = commandUrl === null;
    if (useAccount && (!account || !account.is_active)) return Promise.resolve('none');
    const url = commandUrl ?? account?.url;
    if (!url) return Promise.resolve('none');
    const secret = account?.secret ?? null;
    const task = this.send(url, secret, command, useAccount);
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
    return task;
  }

  private async send(
    url: string,
    secret: string | null,
    command: CommandObject,
    countsForAccount: boolean,
  ): Promise<DeliveryOutcome> {
    const body: WebhookDelivery = { data: command, timestamp: Date.now() };
    const raw = JSON.stringify(body);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': WEBHOOK_USER_AGENT,
    };
    if (secret) headers['X-Webhook-Signature'] = signWebhookBody(secret, raw);
    let ok = false;
    for (let attempt = 0; attempt <= this.retryDelaysMs.length; attempt++) {
      if (attempt > 0 && !(await this.sleep(this.retryDelaysMs[attempt - 1] ?? 0)))
        return 'stopped';
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: raw,
          redirect: 'manual',
          signal: AbortSignal.any([
            this.stopping.signal,
            AbortSignal.timeout(this.attemptTimeoutMs),
          ]),
        });
        await response.body?.cancel().catch(() => undefined);
        if (response.status >= 200 && response.status < 300) {
          ok = true;
          break;
        }
        this.o.logger.warn(`webhook to ${describeUrl(url)} answered ${response.status}`);
      } catch (error) {
        if (this.stopping.signal.aborted) return 'stopped';
        this.o.logger.warn(`webhook to ${describeUrl(url)} failed: ${(error as Error).message}`);
      }
    }
    if (countsForAccount) this.record(url, ok);
    return ok ? 'sent' : 'gave-up';
  }

  private record(url: string, ok: boolean): void {
    const account = this.o.config();
    // The config may have been replaced meanwhile; only count against the one we used.
    if (!account || account.url !== url) return;
    if (ok) {
      if (account.consecutive_failures === 0) return;
      account.consecutive_failures = 0;
    } else {
      account.consecutive_failures += 1;
      if (account.consecutive_failures >= MAX_CONSECUTIVE_FAILURES && account.is_active) {
        account.is_active = false;
        account.disabled_at = new Date().toISOString();
        this.o.logger.warn(
          `webhook switched off after ${MAX_CONSECUTIVE_FAILURES} failed deliveries`,
        );
      }
    }
    this.o.changed();
  }

  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.stopping.signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        this.stopping.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      this.stopping.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves when every delivery in flight has finished (tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }
}
