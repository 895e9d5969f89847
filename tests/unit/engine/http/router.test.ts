import { describe, expect, it } from 'vitest';
import { Router } from '../../../../engine/http/router';

describe('Router', () => {
  const router = new Router();
  const noop = () => undefined;
  router.add('GET', '/api/v1/files/:fileId', noop);
  router.add('DELETE', '/api/v1/files/:fileId', noop);
  router.add('GET', '/storage/:id/:name', noop, { auth: false });

  it('matches params, decoded', () => {
    const m = router.match('GET', '/storage/abc/a%20b.mp4');
    expect(m.kind).toBe('found');
    if (m.kind === 'found') {
      expect(m.params).toEqual({ id: 'abc', name: 'a b.mp4' });
      expect(m.route.auth).toBe(false);
    }
  });

  it('treats HEAD as GET, tells 405 from 404', () => {
    expect(router.match('HEAD', '/api/v1/files/x').kind).toBe('found');
    expect(router.match('PUT', '/api/v1/files/x')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'DELETE'],
    });
    expect(router.match('GET', '/api/v1/nothing').kind).toBe('not-found');
    expect(router.match('GET', '/storage/a/%E0%A4%A').kind).toBe('not-found');
  });
});
