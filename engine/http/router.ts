/** A small router: `METHOD /path/:param` patterns, matched in order. */
import type { BodyKind } from './bodyGate';
import type { Handler } from './context';

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  /** Whether the route needs an API key (storage downloads do not). */
  auth: boolean;
  /** The body the handler reads, checked from the head before it is read. */
  body: BodyKind;
}

export interface RouteOptions {
  auth?: boolean;
  /** Default: a JSON document for POST and PUT, nothing for other methods. */
  body?: BodyKind;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export class Router {
  private routes: Route[] = [];

  add(method: string, path: string, handler: Handler, options: RouteOptions = {}): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((part) => {
        if (part.startsWith(':')) {
          names.push(part.slice(1));
          return '([^/]+)';
        }
        return part.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
      })
      .join('/');
    this.routes.push({
      method,
      pattern: new RegExp(`^${source}/?$`),
      names,
      handler,
      auth: options.auth ?? true,
      body: options.body ?? (method === 'POST' || method === 'PUT' ? 'json' : 'none'),
    });
  }

  match(method: string, path: string): RouteMatch {
    const allow: string[] = [];
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const effective = method === 'HEAD' && route.method === 'GET' ? 'GET' : method;
      if (route.method !== effective) {
        allow.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      let bad = false;
      route.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          bad = true;
        }
      });
      if (bad) return { kind: 'not-found' };
      return { kind: 'found', route, params };
    }
    return allow.length > 0 ? { kind: 'method-not-allowed', allow } : { kind: 'not-found' };
  }
}
