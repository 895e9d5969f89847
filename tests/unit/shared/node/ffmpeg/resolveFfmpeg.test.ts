/**
 * The order ffmpeg and ffprobe are found in, on real files in temp folders: the chosen path,
 * FFMPEG_PATH / FFPROBE_PATH, the packaged copy, PATH, the usual folders; and what a person
 * reads when the named file is wrong.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveFfmpeg, type ResolveFfmpegOptions } from '../../../../../shared/node/ffmpeg';
import { tempDir } from '../../../../support/media';
import { writeScript } from '../../../../support/fakeFfmpeg';

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await tempDir('renderio-resolve-');
});
afterEach(async () => {
  await dir.cleanup();
});

/** A folder holding runnable `ffmpeg` and/or `ffprobe` files (contents do not matter here). */
async function folderWith(name: string, tools: ('ffmpeg' | 'ffprobe')[]): Promise<string> {
  const folder = join(dir.path, name);
  await mkdir(folder, { recursive: true });
  for (const tool of tools) await writeScript(folder, tool, 'exit 0');
  return folder;
}

/** Nothing from this machine's own PATH or /usr/bin leaks into a case. */
function isolated(extra: ResolveFfmpegOptions = {}): ResolveFfmpegOptions {
  return { env: {}, commonFolders: [], platform: 'linux', ...extra };
}

/** Messages a person reads never carry errno codes. */
const ERRNO = /\bE[A-Z]{3,}\b/;

describe('resolveFfmpeg: the order', () => {
  it('takes the chosen file first, with the ffprobe beside it', async () => {
    const chosen = await folderWith('chosen', ['ffmpeg', 'ffprobe']);
    const other = await folderWith('on-path', ['ffmpeg', 'ffprobe']);
    const found = await resolveFfmpeg(
      isolated({
        chosenFfmpeg: join(chosen, 'ffmpeg'),
        env: { PATH: other, FFMPEG_PATH: join(other, 'ffmpeg') },
      }),
    );
    expect(found).toMatchObject({
      ok: true,
      ffmpeg: { path: join(chosen, 'ffmpeg'), source: 'chosen' },
      ffprobe: { path: join(chosen, 'ffprobe'), source: 'chosen', besideFfmpeg: true },
    });
  });

  it('accepts the folder that holds ffmpeg as the choice', async () => {
    const chosen = await folderWith('chosen', ['ffmpeg', 'ffprobe']);
    const found = await resolveFfmpeg(isolated({ chosenFfmpeg: chosen }));
    expect(found).toMatchObject({ ok: true, ffmpeg: { path: join(chosen, 'ffmpeg') } });
  });

  it('then FFMPEG_PATH and FFPROBE_PATH, each as named', async () => {
    const a = await folderWith('a', ['ffmpeg', 'ffprobe']);
    const b = await folderWith('b', ['ffprobe']);
    const found = await resolveFfmpeg(
      isolated({ env: { FFMPEG_PATH: join(a, 'ffmpeg'), FFPROBE_PATH: join(b, 'ffprobe') } }),
    );
    expect(found).toMatchObject({
      ok: true,
      ffmpeg: { path: join(a, 'ffmpeg'), source: 'env' },
      ffprobe: { path: join(b, 'ffprobe'), source: 'env' },
    });
  });

  it('then the packaged copy, ahead of PATH', async () => {
    const bundled = await folderWith('resources/ffmpeg', ['ffmpeg', 'ffprobe']);
    const onPath = await folderWith('on-path', ['ffmpeg', 'ffprobe']);
    const found = await resolveFfmpeg(isolated({ bundledDir: bundled, env: { PATH: onPath } }));
    expect(found).toMatchObject({
      ok: true,
      ffmpeg: { path: join(bundled, 'ffmpeg'), source: 'bundled' },
      ffprobe: { path: join(bundled, 'ffprobe'), source: 'bundled', besideFfmpeg: true },
    });
  });

  it('then PATH in its order, then the usual install folders', async () => {
    const first = await folderWith('first', []);
    const second = await folderWith('second', ['ffmpeg']);
    const usual = await folderWith('opt-homebrew-bin', ['ffmpeg', 'ffprobe']);
    const found = await resolveFfmpeg(
      isolated({ env: { PATH: `${first}:${second}` }, commonFolders: [usual] }),
    );
    // ffprobe is not beside the PATH ffmpeg, so the search goes on and finds it in the usual folder.
    expect(found).toMatchObject({
      ok: true,
      ffmpeg: { path: join(second, 'ffmpeg'), source: 'path' },
      ffprobe: { path: join(usual, 'ffprobe'), source: 'common-folder' },
    });
    expect(found.ok && found.ffprobe.besideFfmpeg).toBeFalsy();
  });

  it('finds an app-less Homebrew install through the usual folders when PATH is bare', async () => {
    const usual = await folderWith('opt-homebrew-bin', ['ffmpeg', 'ffprobe']);
    // launchd's PATH (/usr/bin:/bin...) holds no ffmpeg on a Mac; an empty folder stands for it.
    const launchdPath = await folderWith('usr-bin', []);
    const found = await resolveFfmpeg(
      isolated({ env: { PATH: launchdPath }, commonFolders: [usual], platform: 'darwin' }),
    );
    expect(found).toMatchObject({
      ok: true,
      ffmpeg: { path: join(usual, 'ffmpeg'), source: 'common-folder' },
    });
  });

  it('finds files in a folder whose name has spaces and non-ASCII letters', async () => {
    const folder = await folderWith('Vidéo tools ü/ffmpeg bin', ['ffmpeg', 'ffprobe']);
    const found = await resolveFfmpeg(isolated({ env: { PATH: folder } }));
    expect(found).toMatchObject({ ok: true, ffmpeg: { path: join(folder, 'ffmpeg') } });
  });
});

describe('resolveFfmpeg: what is wrong, in plain words', () => {
  it('a chosen path that does not exist is reported, never swapped for another ffmpeg', async () => {
    const onPath = await folderWith('on-path', ['ffmpeg', 'ffprobe']);
    const missing = join(dir.path, 'nowhere', 'ffmpeg');
    const found = await resolveFfmpeg(isolated({ chosenFfmpeg: missing, env: { PATH: onPath } }));
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.problem.message).toBe(`The ffmpeg you chose was not found at ${missing}.`);
    expect(found.ffmpeg).toBeNull();
  });

  it('a chosen file without the execute bit: one line for the person, the errno for the log', async () => {
    const folder = await folderWith('no-x', ['ffmpeg', 'ffprobe']);
    await chmod(join(folder, 'ffmpeg'), 0o644);
    const found = await resolveFfmpeg(isolated({ chosenFfmpeg: join(folder, 'ffmpeg') }));
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.problem.message).toBe(
      `The ffmpeg you chose cannot be run: ${join(folder, 'ffmpeg')} is not marked as a program.`,
    );
    expect(found.problem.message).not.toMatch(ERRNO);
    expect(found.problem.message).not.toContain('\n');
    expect(found.problem.detail).toContain('EACCES');
  });

  it('FFMPEG_PATH naming a file that is gone says which variable', async () => {
    const found = await resolveFfmpeg(isolated({ env: { FFMPEG_PATH: '/no/such/ffmpeg' } }));
    expect(found).toMatchObject({
      ok: false,
      problem: { message: 'FFMPEG_PATH names a file that does not exist: /no/such/ffmpeg.' },
    });
  });

  it('a chosen folder without ffmpeg in it', async () => {
    const empty = await folderWith('empty', []);
    const found = await resolveFfmpeg(isolated({ chosenFfmpeg: empty }));
    expect(found).toMatchObject({
      ok: false,
      problem: { message: `The folder ${empty} has no ffmpeg in it.` },
    });
  });

  it('an ffmpeg with no ffprobe beside it and none elsewhere', async () => {
    const alone = await folderWith('alone', ['ffmpeg']);
    const found = await resolveFfmpeg(isolated({ chosenFfmpeg: join(alone, 'ffmpeg') }));
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.ffmpeg).toMatchObject({ path: join(alone, 'ffmpeg'), source: 'chosen' });
    expect(found.problem.message).toMatch(/^ffprobe was not found on this computer\./);
    expect(found.problem.message).toContain('ffprobe comes with ffmpeg');
    expect(found.problem.detail).toContain(`beside ${join(alone, 'ffmpeg')}`);
  });

  it('nothing anywhere: says so with how to install it on this OS', async () => {
    const found = await resolveFfmpeg(isolated({ platform: 'darwin' }));
    expect(found).toMatchObject({
      ok: false,
      ffmpeg: null,
      problem: {
        message:
          'ffmpeg was not found on this computer. Install it with Homebrew (brew install ffmpeg), or choose where it is.',
      },
    });
  });

  it('passes over a found ffmpeg that cannot be run, and names it when there is no other', async () => {
    const broken = await folderWith('broken', ['ffmpeg', 'ffprobe']);
    await chmod(join(broken, 'ffmpeg'), 0o644);
    const good = await folderWith('good', ['ffmpeg', 'ffprobe']);

    const withGood = await resolveFfmpeg(isolated({ env: { PATH: `${broken}:${good}` } }));
    expect(withGood).toMatchObject({ ok: true, ffmpeg: { path: join(good, 'ffmpeg') } });
    expect(withGood.notes.join('\n')).toContain(join(broken, 'ffmpeg'));

    const alone = await resolveFfmpeg(isolated({ env: { PATH: broken } }));
    expect(alone).toMatchObject({
      ok: false,
      problem: {
        message: `ffmpeg was found at ${join(broken, 'ffmpeg')} but cannot be run: it is not marked as a program.`,
      },
    });
  });

  it('a text file chosen as ffmpeg is a file that may be run: the capability check tells it apart', async () => {
    const folder = await folderWith('text', ['ffprobe']);
    await writeFile(join(folder, 'ffmpeg'), 'just some notes\n', { mode: 0o755 });
    const found = await resolveFfmpeg(isolated({ chosenFfmpeg: join(folder, 'ffmpeg') }));
    expect(found).toMatchObject({ ok: true, ffmpeg: { source: 'chosen' } });
  });
});
