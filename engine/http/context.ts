/** What every handler gets: the request, the response, the route params and helpers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision } from '../faults';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Short hash prefix of the caller's key, set by the auth step. */
  keyId: string | null;
  /** Extra headers for every answer (rate-limit headers). */
  headers: Record<string, string>;
  fault: FaultDecision;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;
