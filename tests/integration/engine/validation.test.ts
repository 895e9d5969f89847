/**
 * Bad input gets a clear error and disturbs nothing: exact 401/404/422/429 bodies, every bad
 * command the issue lists, JSON body limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandList, StoredFile } from '../../../shared/renderioApi';
import { makeVideo } from '../../support/media';
import { messages, sleep, startHarness, type Harness } from './engineHarness';

let h: Harness;
let input: StoredFile;

beforeAll(async () => {
  h = await startHarness({ jsonLimitBytes: 16 * 1024 });
  input = await h.uploadStored(await makeVideo(h.dir, 'clip.mp4'));
});

afterAll(() => h.cleanup());

const commandCount = async () =>
  (await h.json<CommandList>('/api/v1/commands?limit=100')).body.commands.length;

function run(overrides: Record<string, unknown>) {
  return h.post('/api/v1/run-ffmpeg-command', {
    input_files: { in_video: input.storage_url },
    output_files: { out_video: 'out.webm' },
    ffmpeg_command: '-i {{in_video}} {{out_video}}',
    ...overrides,
  });
}

describe('401', () => {
  const detail = { detail: 'Invalid or missing API key' };
  it.each([
    ['missing', undefined],
    ['malformed', 'ffsk_short'],
    ['unknown', 'ffsk_' + 'a'.repeat(64)],
  ])('answers the exact body for a %s key', async (_name, key) => {
    const res = await fetch(`${h.engine.url}/api/v1/commands?limit=1`, {
      headers: key ? { 'X-API-KEY': key } : {},
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(detail);
  });

  it('answers 401 once a key is revoked, and logs only its hash prefix', async () => {
    const key = await h.engine.createKey();
    const ok = await fetch(`${h.engine.url}/api/v1/commands?limit=1`, {
      headers: { 'X-API-KEY': key },
    });
    expect(ok.status).toBe(200);
    await h.engine.revokeKey(key);
    const res = await fetch(`${h.engine.url}/api/v1/commands?limit=1`, {
      headers: { 'X-API-KEY': key },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(detail);
    const log = JSON.stringify(h.engine.requestLog);
    expect(log).not.toContain(key);
    expect(log).not.toContain(key.slice(5, 25));
    const entry = h.engine.requestLog.find(
      (e) => e.status === 200 && e.path === '/api/v1/commands',
    );
    expect(entry?.keyId).toMatch(/^[0-9a-f]{12}$/);
  });

  it('accepts a memory-only key given at start', async () => {
    const memoryKey = 'ffsk_' + 'b'.repeat(64);
    const other = await startHarness({ apiKeys: [memoryKey] });
    try {
      const res = await fetch(`${other.engine.url}/api/v1/commands?limit=1`, {
        headers: { 'X-API-KEY': memoryKey },
      });
      expect(res.status).toBe(200);
    } finally {
      await other.cleanup();
    }
  });
});

describe('404', () => {
  it.each([
    ['/api/v1/files/nope', 'File not found'],
    ['/api/v1/commands/nope', 'Command not found'],
    ['/api/v1/presets/nope', 'Preset not found'],
    ['/api/v1/no-such-endpoint', 'Not Found'],
  ])('GET %s → {"detail": "%s"}', async (path, detail) => {
    const { status, body } = await h.json(path);
    expect(status).toBe(404);
    expect(body).toEqual({ detail });
  });
});

describe('422: bad commands are refused and nothing runs', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'an unknown alias',
      { ffmpeg_command: '-i {{in_video}} {{in_other}} {{out_video}}' },
      /placeholder \{\{in_other\}\} names no declared input or output file/,
    ],
    [
      'an unused alias',
      { ffmpeg_command: '-i {{in_video}} -f null -', output_files: { out_video: 'out.webm' } },
      /output "out_video" is declared but not used/,
    ],
    [
      'single-brace placeholders',
      { ffmpeg_command: '-i {in_video} {{in_video}} {{out_video}}' },
      /"\{in_video\}" uses single braces; write \{\{in_video\}\}/,
    ],
    [
      'path traversal in an output name',
      { output_files: { out_video: '../../escape.webm' } },
      /output file name "..\/..\/escape.webm" must be a plain file name without path separators/,
    ],
    [
      'a hidden traversal',
      { output_files: { out_video: '..escape.webm' } },
      /must not contain ".."/,
    ],
    [
      '"; rm -rf ~"',
      { ffmpeg_command: '-i {{in_video}} {{out_video}}; rm -rf ~' },
      /";" \(command separator or pipe\) is shell syntax/,
    ],
    [
      '"$(...)"',
      { ffmpeg_command: '-i {{in_video}} -metadata title=$(whoami) {{out_video}}' },
      /"\$\(\.\.\.\)" \(command substitution\) is shell syntax/,
    ],
    [
      'an absolute input path',
      { input_files: { in_video: '/etc/passwd' } },
      /input URL must be an absolute http\(s\) URL \(local paths are not accepted\)/,
    ],
    [
      'a file: URL',
      { input_files: { in_video: 'file:///etc/passwd' } },
      /input URL must be an http\(s\) URL; the "file:" scheme is not accepted/,
    ],
    [
      'an absolute path in the command',
      { ffmpeg_command: '-i {{in_video}} -i /etc/passwd {{out_video}}' },
      /input file "\/etc\/passwd" contains an absolute path/,
    ],
    [
      'a file: input in the command',
      { ffmpeg_command: '-i {{in_video}} -i file:x.mp4 {{out_video}}' },
      /input file "file:x.mp4" uses the "file:" protocol/,
    ],
    [
      'an http: input in the command',
      { ffmpeg_command: '-i {{in_video}} -i http://example.com/a.mp4 {{out_video}}' },
      /uses the "http:" protocol; inputs must be declared in input_files/,
    ],
    [
      'a concat: input in the command',
      { ffmpeg_command: "-i {{in_video}} -i 'concat:a.mp4|b.mp4' {{out_video}}" },
      /"concat:" protocol/,
    ],
    [
      'a subfile: input in the command',
      { ffmpeg_command: "-i {{in_video}} -i 'subfile,,start,0,end,100,,:x.mp4' {{out_video}}" },
      /protocol/,
    ],
    [
      'an amovie= source',
      {
        ffmpeg_command:
          '-i {{in_video}} -filter_complex "amovie=a.wav[a];[0:a][a]amix" {{out_video}}',
      },
      /the "amovie" filter in -filter_complex reads another file/,
    ],
    [
      'a device input (-f lavfi)',
      { ffmpeg_command: '-f lavfi -i testsrc -i {{in_video}} {{out_video}}' },
      /-f lavfi/,
    ],
    [
      'a lavfi movie= source',
      { ffmpeg_command: "-i {{in_video}} -vf 'movie=/etc/passwd' {{out_video}}" },
      /the "movie" filter in -vf reads another file/,
    ],
    [
      'a parent directory in the command',
      { ffmpeg_command: '-i {{in_video}} -i ../x.mp4 {{out_video}}' },
      /input file "..\/x.mp4" contains "\.\."/,
    ],
  ];

  it.each(cases)('refuses %s', async (_name, overrides, msg) => {
    const before = await commandCount();
    const { status, body } = await run(overrides);
    expect(status).toBe(422);
    const detail = (body as { detail: { loc: unknown[]; msg: string; type: string }[] }).detail;
    expect(Array.isArray(detail)).toBe(true);
    for (const d of detail) {
      expect(Array.isArray(d.loc)).toBe(true);
      expect(['value_error', 'type_error', 'missing']).toContain(d.type);
    }
    expect(messages(body)).toMatch(msg);
    expect(await commandCount()).toBe(before);
  });

  it('answers the documented 422 shape exactly', async () => {
    const { status, body } = await run({ input_files: { in_video: 'file:///etc/passwd' } });
    expect(status).toBe(422);
    expect(body).toEqual({
      detail: [
        {
          loc: ['input_files', 'in_video'],
          msg: 'input URL must be an http(s) URL; the "file:" scheme is not accepted',
          type: 'value_error',
        },
      ],
    });
  });

  it('refuses a storage URL with a forged signature', async () => {
    const forged = new URL(input.storage_url!);
    forged.searchParams.set('signature', 'f'.repeat(64));
    const { status, body } = await run({ input_files: { in_video: forged.href } });
    expect(status).toBe(422);
    expect(messages(body)).toBe('input URL is a storage URL with an invalid signature');
  });

  it('refuses invalid JSON with 422', async () => {
    const before = await commandCount();
    const { status, body } = await h.json('/api/v1/run-ffmpeg-command', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"input_files": {',
    });
    expect(status).toBe(422);
    expect((body as { detail: { loc: string[] }[] }).detail[0]!.loc).toEqual(['body']);
    expect(messages(body)).toMatch(/^invalid JSON: /);
    expect(await commandCount()).toBe(before);
  });

  it('refuses a JSON body that is not an object', async () => {
    const before = await commandCount();
    const { status, body } = await h.post('/api/v1/run-ffmpeg-command', [1, 2]);
    expect(status).toBe(422);
    expect(messages(body)).toBe('the body must be a JSON object');
    expect(await commandCount()).toBe(before);
  });

  it('refuses oversized JSON with 413', async () => {
    const before = await commandCount();
    const { status, body } = await run({ metadata: { big: 'x'.repeat(20 * 1024) } });
    expect(status).toBe(413);
    expect(body).toEqual({ detail: `Request body is larger than the limit of ${16 * 1024} bytes` });
    expect(await commandCount()).toBe(before);
  });

  it('refuses a bad webhook_url and too much metadata', async () => {
    const meta = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    const { status, body } = await run({ webhook_url: 'ftp://x', metadata: meta });
    expect(status).toBe(422);
    expect(messages(body)).toMatch(/metadata may have at most 10 keys/);
    expect(messages(body)).toMatch(/webhook_url must be an http\(s\) URL/);
  });

  it('refuses a whole multiple request when one command is bad', async () => {
    const before = await commandCount();
    const { status, body } = await h.post('/api/v1/run-multiple-ffmpeg-commands', {
      commands: [
        {
          input_files: { in_v: input.storage_url },
          output_files: { out_a: 'a.mp3' },
          ffmpeg_command: '-i {{in_v}} {{out_a}}',
        },
        {
          input_files: { in_v: input.storage_url },
          output_files: { out_b: '/tmp/b.mp3' },
          ffmpeg_command: '-i {{in_v}} {{out_b}}',
        },
      ],
    });
    expect(status).toBe(422);
    expect((body as { detail: { loc: unknown[] }[] }).detail[0]!.loc).toEqual([
      'commands',
      1,
      'output_files',
      'out_b',
    ]);
    expect(await commandCount()).toBe(before);
  });
});

describe('429', () => {
  it('refuses with Retry-After and rate headers, and succeeds again after waiting exactly that long', async () => {
    const slow = await startHarness({ rateLimit: { ratePerSecond: 0.5, burst: 2 } });
    try {
      const hit = () => slow.api('/api/v1/commands?limit=1');
      const first = await hit();
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit')).toBe('2');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
      expect((await hit()).status).toBe(200);
      const refused = await hit();
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(retryAfter);
      expect(await refused.json()).toEqual({
        detail: `Rate limit exceeded; retry after ${retryAfter} s`,
      });
      await sleep(retryAfter * 1000);
      const again = await hit();
      expect(again.status).toBe(200);
    } finally {
      await slow.cleanup();
    }
  });

  it('limits per key, not globally', async () => {
    const slow = await startHarness({ rateLimit: { ratePerSecond: 0.2, burst: 1 } });
    try {
      const other = await slow.engine.createKey();
      expect((await slow.api('/api/v1/commands?limit=1')).status).toBe(200);
      expect((await slow.api('/api/v1/commands?limit=1')).status).toBe(429);
      const res = await fetch(`${slow.engine.url}/api/v1/commands?limit=1`, {
        headers: { 'X-API-KEY': other },
      });
      expect(res.status).toBe(200);
    } finally {
      await slow.cleanup();
    }
  });
});
