import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  REDACTED_KEY,
  createLogger,
  forgetSecret,
  redact,
  redactError,
  redactValue,
  registerSecret,
} from '../../../shared/redact';

const key = () => `ffsk_${randomBytes(32).toString('hex')}`;

describe('redact', () => {
  it('replaces every key in a string', () => {
    const a = key();
    const b = key();
    const out = redact(`first ${a} then X-API-KEY: ${b}; url?key=${a}`);
    expect(out).not.toContain(a);
    expect(out).not.toContain(b);
    expect(out.split(REDACTED_KEY)).toHaveLength(4);
  });

  it('catches truncated and upper-cased fragments', () => {
    const a = key();
    expect(redact(a.slice(0, 20))).toBe(REDACTED_KEY);
    expect(redact(a.toUpperCase().replace('FFSK_', 'ffsk_'))).toBe(REDACTED_KEY);
  });

  it('leaves ordinary text alone', () => {
    expect(redact('ffsk_ is the prefix; ffmpeg -i in.mp4')).toBe(
      'ffsk_ is the prefix; ffmpeg -i in.mp4',
    );
  });

  it('redacts registered secrets of any shape', () => {
    registerSecret('hunter2-but-longer');
    expect(redact('pw=hunter2-but-longer')).toBe('pw=[REDACTED]');
    forgetSecret('hunter2-but-longer');
    expect(redact('pw=hunter2-but-longer')).toBe('pw=hunter2-but-longer');
  });

  it('redacts errors: message, stack and cause', () => {
    const a = key();
    const error = new Error(`request failed for ${a}`, { cause: new Error(`inner ${a}`) });
    const text = redactValue(error);
    expect(text).not.toContain(a);
    expect(text).toContain('Caused by');
    const copy = redactError(error);
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).toBe(`request failed for ${REDACTED_KEY}`);
    expect(copy.stack).not.toContain(a);
    expect((copy.cause as Error).message).toBe(`inner ${REDACTED_KEY}`);
    expect(error.message).toContain(a); // the original is untouched
  });

  it('redacts the extra fields of an error too: arrays, plain objects, nested errors', () => {
    const a = key();
    const error = Object.assign(new Error('validation failed'), {
      status: 422,
      detail: [{ loc: ['headers', 'X-API-KEY'], msg: `bad value ${a}` }],
      request: { headers: { 'X-API-KEY': a } },
      when: new Date(0),
    });
    const aggregate = new AggregateError([new Error(`first ${a}`)], 'several failed');
    const copy = redactError(error);
    expect(JSON.stringify(copy)).not.toContain(a);
    expect(copy.detail[0]?.msg).toBe(`bad value ${REDACTED_KEY}`);
    expect(copy.request.headers['X-API-KEY']).toBe(REDACTED_KEY);
    expect(copy.status).toBe(422);
    expect(copy.when).toBe(error.when);
    expect(Object.keys(copy)).toEqual(Object.keys(error)); // message and stack stay hidden
    expect((redactError(aggregate).errors[0] as Error).message).toBe(`first ${REDACTED_KEY}`);
    expect(error.detail[0]?.msg).toContain(a); // the original is untouched
  });

  it('redacts objects', () => {
    const a = key();
    expect(redactValue({ headers: { 'X-API-KEY': a } })).not.toContain(a);
  });

  it('every logger line is redacted', () => {
    const a = key();
    const lines: string[] = [];
    const log = createLogger('test', (_level, line) => lines.push(line), 'debug');
    log.info('using', a);
    log.error(new Error(`bad ${a}`));
    log.debug({ key: a });
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(a);
    expect(lines[0]).toBe(`[test] using ${REDACTED_KEY}`);
  });

  it('drops lines below the minimum level', () => {
    const lines: string[] = [];
    const log = createLogger('t', (_l, line) => lines.push(line), 'warn');
    log.info('x');
    log.warn('y');
    expect(lines).toEqual(['[t] y']);
  });
});
