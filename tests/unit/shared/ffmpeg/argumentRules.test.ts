import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BASE_ARGS,
  INPUT_FORMAT_WHITELIST,
  UnsafeCommandError,
  prepareFfmpegArgs,
  prepareFfmpegCommand,
} from '../../../../shared/ffmpeg/argumentRules';
import { runFfmpeg } from '../../../../engine/ffmpeg/runFfmpeg';
import { makeVideo, tempDir } from '../../../support/media';

/** What the engine does: each alias becomes a path inside the command's work dir. */
const workDir = '/srv/engine/work/cmd-1';
const resolve = (alias: string) =>
  `${workDir}/${alias}.${alias.startsWith('in_') ? 'mp4' : 'webm'}`;
const prepare = (template: string) => prepareFfmpegArgs(template, resolve);
const refusal = (template: string): string => {
  try {
    prepare(template);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsafeCommandError);
    return (error as Error).message;
  }
  throw new Error(`expected ${template} to be refused`);
};

describe('prepareFfmpegArgs: what it builds', () => {
  it('starts with the base arguments, strips a leading ffmpeg and substitutes placeholders', () => {
    const args = prepare('ffmpeg -i {{in_video}} -c:v libvpx-vp9 -b:v 0 -crf 33 {{out_video}}');
    expect(args.slice(0, 3)).toEqual([...BASE_ARGS]);
    expect(args.slice(3)).toEqual([
      '-protocol_whitelist',
      'file',
      '-format_whitelist',
      INPUT_FORMAT_WHITELIST,
      '-i',
      `${workDir}/in_video.mp4`,
      '-c:v',
      'libvpx-vp9',
      '-b:v',
      '0',
      '-crf',
      '33',
      `${workDir}/out_video.webm`,
    ]);
  });

  it('accepts <<alias>> placeholders (not read as redirections)', () => {
    expect(prepare('-i <<in_video>> <<out_video>>')).toContain(`${workDir}/out_video.webm`);
  });

  it('substitutes placeholders inside a token and keeps a resolved path with spaces as one argument', () => {
    const args = prepareFfmpegArgs(
      '-i {{in_a}} -vf "subtitles={{in_subs}}" {{out_b}}',
      (a) => `dir with space/${a}.x`,
    );
    expect(args).toContain('subtitles=dir with space/in_subs.x');
    expect(args).toContain('dir with space/out_b.x');
  });

  it('never re-checks trusted resolved paths (absolute is fine there)', () => {
    expect(() => prepare('-i {{in_video}} {{out_video}}')).not.toThrow();
  });

  it('passes ordinary ffmpeg syntax through untouched', () => {
    const template = [
      '-ss 00:00:01.5 -i {{in_video}} -map 0:v:0 -map 0:a:0?',
      '-vf "scale=w=trunc(iw/2)*2:h=-2:flags=lanczos,format=yuv420p"',
      '-force_key_frames expr:gte(t,n_forced*2) -x264-params keyint=60:min-keyint=60',
      '-movflags +faststart -metadata title="A/B: http://x" -aspect 16:9 -shortest {{out_video}}',
    ].join(' ');
    const args = prepare(template);
    expect(args).toContain('scale=w=trunc(iw/2)*2:h=-2:flags=lanczos,format=yuv420p');
    expect(args).toContain('title=A/B: http://x');
    expect(args).toContain('expr:gte(t,n_forced*2)');
    expect(args.at(-1)).toBe(`${workDir}/out_video.webm`);
  });

  it('accepts a palette GIF graph and plain intermediate files (chained steps)', () => {
    expect(() =>
      prepare(
        '-i {{in_video}} -filter_complex "fps=10,scale=320:-1,split[a][b];[a]palettegen[p];[b][p]paletteuse" {{out_video}}',
      ),
    ).not.toThrow();
    expect(prepare('-i step1.mp4 -f image2 frame_%03d.png')).toContain('frame_%03d.png');
  });

  it('keeps quoted shell characters as inert characters of one argument', () => {
    const args = prepare(
      `-i {{in_video}} -metadata 'comment=; rm -rf ~ $(id) \`id\`' {{out_video}}`,
    );
    expect(args).toContain('comment=; rm -rf ~ $(id) `id`');
  });

  it('allows -f null - (analysis) but no other use of stdout', () => {
    expect(prepare('-i {{in_video}} -f null -').at(-1)).toBe('-');
    expect(refusal('-i {{in_video}} -f mp4 -')).toContain('standard output');
  });
});

describe('prepareFfmpegArgs: everyday commands pass unchanged', () => {
  it.each([
    `-i {{in_video}} -vf "drawtext=text='1 / 2 .. ~ http\\://x':fontcolor=white:x=(w-text_w)/2:y=(h-text_h)/2" {{out_video}}`,
    '-i {{in_video}} -vf "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2" {{out_video}}',
    `-i {{in_video}} -vf "select='eq(pict_type\\,I)'" -fps_mode vfr -frames:v 5 {{out_video}}`,
    '-i {{in_video}} -i {{in_audio}} -filter_complex "[0:a][1:a]amix=inputs=2:duration=longest[a]" -map 0:v -map "[a]" {{out_video}}',
    '-i {{in_video}} -i {{in_audio}} -filter_complex "[0:v][0:a][1:v][1:a]concat=n=2:v=1:a=1[v][a]" -map "[v]" -map "[a]" {{out_video}}',
    '-ss 00:00:05 -i {{in_video}} -t 10 -c copy -avoid_negative_ts make_zero {{out_video}}',
    '-i {{in_video}} -vf fps=1/5 -q:v 2 {{out_video}}',
    '-i {{in_video}} -af "atempo=2.0,volume=0.5" -vn {{out_video}}',
    '-i {{in_video}} -c:v libx264 -x264-params keyint=60:min-keyint=60:scenecut=0 -pass 1 -passlogfile pass -f null -',
    '-i {{in_video}} -metadata:s:a:0 language=eng -disposition:a:0 default -timecode 01:00:00:00 {{out_video}}',
    '-i {{in_video}} -f hls -hls_time 4 -hls_playlist_type vod -hls_segment_filename seg_%03d.ts {{out_video}}',
    '-i {{in_video}} -vf "subtitles={{in_subs}}:force_style=\'FontName=Arial,FontSize=24\'" {{out_video}}',
  ])('%s', (template) => {
    const args = prepareFfmpegArgs(template, (alias) => `${alias}.bin`);
    expect(args.slice(0, 3)).toEqual([...BASE_ARGS]);
    expect(args.join(' ')).not.toContain('{{');
  });
});

describe('prepareFfmpegArgs: refusals', () => {
  it.each([
    ['-i {{in_video}} {{out_video}} ; rm -rf ~', 'shell syntax'],
    ['-i {{in_video}} $(curl evil) {{out_video}}', 'command substitution'],
    ['-i {{in_video}} "$(id)" {{out_video}}', 'command substitution'],
    ['-i {{in_video}} `id` {{out_video}}', 'command substitution'],
    ['-i {{in_video}} {{out_video}} | sh', 'shell syntax'],
    ['-i {{in_video}} {{out_video}} > /tmp/log', 'shell syntax'],
    ['-i {{in_video}} $HOME/x.mp4', 'variable expansion'],
  ])('shell syntax: %s', (template, why) => {
    expect(refusal(template)).toContain(why);
  });

  it.each([
    ['-i /etc/passwd {{out_video}}', 'absolute path'],
    ['-i {{in_video}} /tmp/out.mp4', 'absolute path'],
    ['-i {{in_video}} C:\\\\temp\\\\x.mp4', 'absolute path'],
    ['-i ../other/x.mp4 {{out_video}}', '".."'],
    ['-i {{in_video}} {{out_video}}/../../x.mp4', '".."'],
    ['-i {{in_video}} ~/x.mp4', '"~"'],
    ['-i {{in_video}} x~/..', '".."'],
    ['-i {{in_video}} sub/dir.mp4', 'plain file name'],
    ['-i {{in_video}} -passlogfile /tmp/pass {{out_video}}', 'absolute path'],
    ['-i {{in_video}} -x265-params csv=/tmp/x.csv {{out_video}}', 'absolute path'],
    ['-i {{in_video}} -vstats_file ../v.log {{out_video}}', '".."'],
    ['-i {{in_video}} -f segment -segment_list /tmp/l.m3u8 seg%d.ts', 'absolute path'],
  ])('paths outside the work dir: %s', (template, why) => {
    expect(refusal(template)).toContain(why);
  });

  it.each([
    'file:x.mp4',
    'http://example.com/a.mp4',
    'https://example.com/a.mp4',
    'concat:a.mp4|b.mp4',
    'subfile,,start,0,end,100,,:a.mp4',
    'pipe:0',
    'tcp://127.0.0.1:1',
    'udp://1.2.3.4:5',
    'data:text/plain,hi',
    'crypto:a.mp4',
    'async:a.mp4',
    'cache:a.mp4',
    'gopher://x',
    'unknown:thing',
  ])('protocol inputs: -i %s', (input) => {
    expect(refusal(`-i '${input}' {{out_video}}`)).toMatch(/protocol|absolute path/);
  });

  it('refuses protocol outputs', () => {
    expect(refusal('-i {{in_video}} -f mpegts udp://239.0.0.1:1234')).toMatch(/protocol/);
    expect(refusal('-i {{in_video}} -f mp4 -')).toContain('standard output');
  });

  it.each(['lavfi', 'concat', 'hls', 'dash', 'v4l2', 'x11grab', 'alsa', 'pulse', 'fbdev', 'LAVFI'])(
    'demuxers and devices that reach other things: -f %s',
    (format) => {
      expect(refusal(`-f ${format} -i {{in_video}} {{out_video}}`)).toContain(
        `-f ${format.toLowerCase()}`,
      );
    },
  );

  it.each(['tee', 'rtp', 'rtp_mpegts', 'alsa', 'pulse', 'sdl2'])(
    'muxers and devices that write elsewhere: -f %s',
    (format) => {
      expect(refusal(`-i {{in_video}} -f ${format} "[f=mp4]a.mp4|b.mp4"`)).toContain(
        `-f ${format}`,
      );
    },
  );

  it.each([
    '-f fifo -fifo_format pulse -format_opts server=127.0.0.1 sound',
    '-f fifo -fifo_format TEE "a.mp4|b.mp4"',
    '-f segment -segment_format alsa default%d',
  ])('muxers wrapped by fifo or segment follow the -f rules: %s', (output) => {
    expect(refusal(`-i {{in_video}} ${output}`)).toMatch(/-(fifo|segment)_format (pulse|tee|alsa)/);
  });

  it('allows HLS and DASH as outputs (they write next to the output) but not as inputs', () => {
    expect(() => prepare('-i {{in_video}} -f dash {{out_video}}')).not.toThrow();
    expect(refusal('-f hls -i {{in_video}} {{out_video}}')).toContain('-f hls');
  });

  it('refuses reading standard input', () => {
    expect(refusal('-i - {{out_video}}')).toContain('standard input');
  });

  it.each([
    ['-vf movie=other.mp4', '"movie" filter'],
    ['-filter_complex "amovie=a.wav[a];[0:a][a]amix"', '"amovie" filter'],
    [`-vf "'mo'vie=x.mp4"`, '"movie" filter'],
    ['-vf "m\\\\ovie=x.mp4"', '"movie" filter'],
    ['-lavfi "[0:v]scale=2:2,movie=x.mp4"', '"movie" filter'],
    ['-vf sendcmd=f=cmds.txt', '"sendcmd" filter'],
    ['-af "azmq,volume=1"', '"azmq" filter'],
    ['-vf zmq', '"zmq" filter'],
    ['-vf frei0r=./evil.so', '"frei0r" filter'],
    ['-af ladspa=file=x', '"ladspa" filter'],
    ['-vf subtitles=/etc/passwd', 'absolute path'],
    [`-vf "subtitles='\\\\/etc/passwd'"`, 'absolute path'],
    ['-vf subtitles=filename=../x.srt', '".."'],
    [`-vf "ass='http\\\\://evil/x.ass'"`, 'protocol'],
    ['-vf drawtext=textfile=/etc/passwd', 'absolute path'],
    ['-vf drawtext=fontfile=~/f.ttf:text=x', '"~"'],
    ['-vf lut3d=/usr/share/x.cube', 'absolute path'],
    ['-vf "metadata=mode=print:file=/tmp/m.txt"', 'absolute path'],
    ['-vf "ssim=stats_file=../s.log"', '".."'],
    ['-filter:v "scale=2:2,subtitles=dir/../../x.srt"', '".."'],
  ])('filters that open files: %s', (filter, why) => {
    expect(refusal(`-i {{in_video}} ${filter} {{out_video}}`)).toContain(why);
  });

  it('allows file-reading filters on declared inputs and plain local files', () => {
    expect(() =>
      prepareFfmpegArgs('-i {{in_video}} -vf subtitles={{in_subs}} {{out_video}}', (a) => `${a}.x`),
    ).not.toThrow();
    expect(() =>
      prepare('-i {{in_video}} -vf "drawtext=text=hi:fontfile=font.ttf" {{out_video}}'),
    ).not.toThrow();
  });

  it.each([
    ['-progress http://x', '-progress'],
    ['-stats_period 900', '-stats_period'],
    ['-filter_script f.txt', '-filter_script'],
    ['-filter_complex_script f.txt', '-filter_complex_script'],
    ['-vpre slow', '-vpre'],
    ['-fpre x.ffpreset', '-fpre'],
    ['-dump_attachment:t ""', '-dump_attachment'],
    ['-protocol_whitelist file,http', '-protocol_whitelist'],
    ['-init_hw_device vaapi=/dev/dri/x', '-init_hw_device'],
  ])('options that read or write outside, or belong to the engine: %s', (option, name) => {
    expect(refusal(`-i {{in_video}} ${option} {{out_video}}`)).toContain(name);
  });

  it.each([
    // av_get_token (encoder parameter lists) drops the backslash: stats=/tmp/x.log ...
    [
      '-i {{in_video}} -c:v libx264 -pass 1 -x264-params "stats=\\/tmp/x.log" -f null -',
      'absolute path',
    ],
    ['-i {{in_video}} -c:v libx264 -pass 1 -x264-params "stats=\\.\\./x.log" -f null -', '".."'],
    ['-i {{in_video}} -x265-params "csv=\\~/x.csv" {{out_video}}', '"~"'],
    // ...and skips the white space before a value: stats=/tmp/x.log again
    ['-i {{in_video}} -x264-params "keyint=10: stats= /tmp/x.log" -f null -', 'absolute path'],
    ['-i {{in_video}} -x264-params "stats=\\ ../x.log" -f null -', '".."'],
  ])('paths hidden by av_get_token escapes or spaces in parameter lists: %s', (template, why) => {
    expect(refusal(template)).toContain(why);
  });

  it.each([
    ['-i {{in_video}} -f hls -hls_key_info_file key.txt {{out_video}}', '-hls_key_info_file'],
    ['-enable_drefs 1 -i {{in_video}} {{out_video}}', '-enable_drefs'],
    ['-use_absolute_path 1 -i {{in_video}} {{out_video}}', '-use_absolute_path'],
    ['-format_whitelist hls -i {{in_video}} {{out_video}}', '-format_whitelist'],
  ])('options that open files named inside other files: %s', (template, name) => {
    expect(refusal(template)).toContain(name);
  });

  it('refuses "--", after which ffmpeg takes any word as an output file unchecked', () => {
    expect(refusal('-i {{in_video}} -f tee -- "a.mp4|b.mp4"')).toContain('"--"');
    expect(refusal('-i {{in_video}} -f mp4 -- -')).toContain('"--"');
  });

  it('gives every input a demuxer whitelist without the demuxers that open listed paths', () => {
    const allowed = INPUT_FORMAT_WHITELIST.split(',');
    for (const name of ['mov', 'mp4', 'matroska', 'webm', 'wav', 'mp3', 'srt', 'image2'])
      expect(allowed).toContain(name);
    for (const name of ['hls', 'dash', 'concat', 'imf', 'lavfi', 'sdp', 'rtsp', 'v4l2'])
      expect(allowed).not.toContain(name);
    const args = prepare('-i {{in_video}} -i {{in_audio}} {{out_video}}');
    expect(args.filter((a) => a === '-format_whitelist')).toHaveLength(2);
  });

  it('refuses empty commands, a missing option value and odd option names', () => {
    expect(refusal('ffmpeg')).toContain('empty');
    expect(refusal('   ')).toContain('empty');
    expect(refusal('-i {{in_video}} -c:v')).toContain('needs a value');
    expect(refusal('-i {{in_video}} -{{in_video}} x {{out_video}}')).toContain('option name');
    expect(refusal('-i {{in_video}} "-c=v" x {{out_video}}')).toContain('not a valid option name');
  });

  it('refuses the reserved marker characters and over-long commands', () => {
    expect(refusal('-i \uE000 x.mp4')).toContain('reserved');
    expect(
      refusal(`-i {{in_video}} -metadata title=${'x'.repeat(100_001)} {{out_video}}`),
    ).toContain('longer');
  });

  it('turns a resolver failure into a refusal that names the alias', () => {
    const message = (() => {
      try {
        prepareFfmpegArgs('-i {{in_nope}} {{out_video}}', (a) => {
          if (a === 'in_nope') throw new Error('not declared');
          return a;
        });
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toContain('in_nope');
    expect(message).toContain('not declared');
  });
});

describe('prepareFfmpegArgs: refusals quote the command as it was written', () => {
  it.each([
    [
      "-i 'concat:{{in_a}}|<<in_b>>' {{out_video}}",
      '"concat:{{in_a}}|<<in_b>>" uses the "concat:" protocol',
    ],
    [
      '-i {{in_a}} -i x:{{ in_b }} {{out_video}}',
      'input file "x:{{ in_b }}" looks like a protocol',
    ],
    [
      '-i {{in_a}} -vf "subtitles=/etc/{{in_a}}" {{out_video}}',
      'option #1 of the "subtitles" filter in -vf "/etc/{{in_a}}" contains an absolute path',
    ],
    [
      '-i {{in_a}} -vf "drawtext=textfile=../{{in_a}}.txt" {{out_video}}',
      '"../{{in_a}}.txt" contains ".."',
    ],
  ])('%s', (template, quoted) => {
    const message = refusal(template);
    expect(message).toContain(quoted);
    // Neither the markers nor the mask the checks see internally.
    expect(message).not.toMatch(/\{\{#|placeholder/);
  });
});

describe('prepareFfmpegCommand: the files subtitles and ass filters open', () => {
  const filesOf = (template: string) =>
    prepareFfmpegCommand(template, (alias) => `./inputs/${alias}.srt`).subtitleFiles;

  it.each([
    ['-vf subtitles=subs.srt', [{ filter: 'subtitles', path: 'subs.srt' }]],
    [
      `-vf "subtitles=filename='my subs.srt':si=0:force_style='FontSize=24'"`,
      [{ filter: 'subtitles', path: 'my subs.srt' }],
    ],
    ['-vf subtitles=f=a.ass', [{ filter: 'subtitles', path: 'a.ass' }]],
    ['-vf "ass=a.ass:shaping=simple"', [{ filter: 'ass', path: 'a.ass' }]],
    [
      '-filter_complex "[0:v]scale=2:2,subtitles@s={{in_subs}}[v]" -map "[v]"',
      [{ filter: 'subtitles', path: './inputs/in_subs.srt' }],
    ],
    [
      '-vf subtitles=a.srt -filter:v:1 "ass=b.ass,Subtitles=c.srt:fontsdir=fonts"',
      [
        { filter: 'subtitles', path: 'a.srt' },
        { filter: 'ass', path: 'b.ass' },
        { filter: 'subtitles', path: 'c.srt' },
      ],
    ],
    ['-vf "drawtext=textfile=t.txt:fontfile=f.ttf,scale=2:2" -af volume=2', []],
  ])('%s', (filter, files) => {
    expect(filesOf(`-i {{in_video}} ${filter} {{out_video}}`)).toEqual(files);
  });

  it('reads the names from the final arguments, as ffmpeg will (resolved placeholders)', () => {
    const { args, subtitleFiles } = prepareFfmpegCommand(
      '-i {{in_v}} -vf "subtitles={{in_s}}" {{out_v}}',
      (alias) => `/w/${alias}.srt`,
    );
    expect(args).toContain('subtitles=/w/in_s.srt');
    expect(subtitleFiles).toEqual([{ filter: 'subtitles', path: '/w/in_s.srt' }]);
  });

  it.each([
    ['-vf subtitles=list.m3u8', '".m3u8"'],
    ['-vf "subtitles=filename=m.mpd"', '".mpd"'],
    ['-vf ass=f=s.sdp', '".sdp"'],
    ['-vf subtitles=script.vpy', '".vpy"'],
    ['-vf subtitles=subs', 'a file without an extension'],
    ['-vf "scale=2:2,subtitles=list.ffconcat"', '".ffconcat"'],
  ])('refuses subtitles file names that are not subtitles or video: %s', (filter, what) => {
    expect(refusal(`-i {{in_video}} ${filter} {{out_video}}`)).toMatch(
      new RegExp(`of the "(subtitles|ass)" filter in -vf .* must be a subtitle file .*not ${what}`),
    );
  });

  it.each([
    '-vf subtitles=subs.SRT',
    '-vf "subtitles=video.mkv:si=1"',
    '-vf ass=styled.ass',
    '-vf subtitles=captions.vtt',
    '-vf subtitles={{in_subs}}',
  ])('accepts subtitle and video names: %s', (filter) => {
    expect(() => prepare(`-i {{in_video}} ${filter} {{out_video}}`)).not.toThrow();
  });
});

/**
 * The attack the demuxer whitelist stops, with the real ffmpeg: an uploaded WAV whose samples
 * are the bytes of an HLS playlist passes the upload probe as audio; a first chained step copies
 * those bytes out with `-f u8`, and a second step opens the result, which ffmpeg would probe as
 * HLS and follow to a file outside the work dir.
 */
describe('prepareFfmpegArgs with the real ffmpeg: no reading outside the work dir', () => {
  let root: { path: string; cleanup(): Promise<void> };
  let work: string;
  beforeAll(async () => {
    root = await tempDir('renderio-escape-');
    work = join(root.path, 'work');
    await mkdir(work);
    const outside = await makeVideo(root.path, 'outside.ts', { seconds: 1, audio: false });
    const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\n${outside}\n#EXT-X-ENDLIST\n`;
    await writeFile(join(root.path, 'playlist.txt'), playlist);
    await promisify(execFile)('ffmpeg', [
      '-nostdin',
      '-y',
      '-loglevel',
      'error',
      '-f',
      'u8',
      '-ar',
      '8000',
      '-ac',
      '1',
      '-i',
      join(root.path, 'playlist.txt'),
      '-c:a',
      'pcm_u8',
      join(work, 'in_a.wav'),
    ]);
  });
  afterAll(() => root.cleanup());

  const run = async (template: string) =>
    runFfmpeg({
      args: prepareFfmpegArgs(template, (alias) =>
        join(work, `${alias}.${alias === 'in_a' ? 'wav' : 'mkv'}`),
      ),
      cwd: work,
      timeoutMs: 60_000,
    });

  it('cannot open a work-dir file that holds a playlist of outside paths', async () => {
    const step1 = await run('-i {{in_a}} -c copy -f u8 list.bin');
    expect(step1.ok).toBe(true);
    const step2 = await run('-i list.bin -c copy {{out_b}}');
    expect(step2.ok).toBe(false);
    expect(step2.stderrTail).toContain('not on whitelist');
    expect(existsSync(join(work, 'out_b.mkv'))).toBe(false);
  });

  it('still reads ordinary inputs', async () => {
    const result = await run('-i {{in_a}} -c:a pcm_s16le {{out_c}}');
    expect(result.ok).toBe(true);
    expect(existsSync(join(work, 'out_c.mkv'))).toBe(true);
  });
});
