/** X-Webhook-Signature: lower-case hex HMAC-SHA256 of the raw body, keyed with the secret. */
import { createHmac } from 'node:crypto';

export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}
