import { describe, expect, it } from 'vitest';
import { TokenizeError, tokenize } from '../../../../shared/ffmpeg/tokenize';

describe('tokenize', () => {
  it('splits on any whitespace and drops empty runs', () => {
    expect(tokenize('  -i   a.mp4\t-c:v\nlibx264  b.mp4 ')).toEqual([
      '-i',
      'a.mp4',
      '-c:v',
      'libx264',
      'b.mp4',
    ]);
    expect(tokenize('')).toEqual([]);
  });

  it('keeps single-quoted text literally, including shell characters', () => {
    expect(tokenize(`-vf 'drawtext=text=a; b | c $(x) \`y\` $HOME'`)).toEqual([
      '-vf',
      'drawtext=text=a; b | c $(x) `y` $HOME',
    ]);
  });

  it('handles double quotes with sh escapes (only $ ` " \\ are escaped)', () => {
    expect(tokenize('"a b" "say \\"hi\\"" "back\\\\slash" "keep\\,comma"')).toEqual([
      'a b',
      'say "hi"',
      'back\\slash',
      'keep\\,comma',
    ]);
  });

  it('joins adjacent quoted and unquoted parts into one word', () => {
    expect(tokenize(`scale='640':"-2"x`)).toEqual(['scale=640:-2x']);
  });

  it('keeps an empty quoted argument', () => {
    expect(tokenize(`-metadata title='' out.mp4`)).toEqual(['-metadata', 'title=', 'out.mp4']);
    expect(tokenize(`a '' b`)).toEqual(['a', '', 'b']);
  });

  it('treats an unquoted backslash as making the next character literal', () => {
    expect(tokenize('select=not(mod(n\\,7)) a\\ b')).toEqual(['select=not(mod(n,7))', 'a b']);
    expect(tokenize('-i a.mp4 \\\n out.mp4')).toEqual(['-i', 'a.mp4', 'out.mp4']);
  });

  it('leaves characters a shell would glob or group as they are', () => {
    expect(tokenize('-map 0:a:0? [0:v]scale=trunc(iw/2)*2:-2 #1')).toEqual([
      '-map',
      '0:a:0?',
      '[0:v]scale=trunc(iw/2)*2:-2',
      '#1',
    ]);
  });

  it.each([
    ['; rm -rf ~', '";"'],
    ['-i a.mp4 && reboot', '"&"'],
    ['-i a.mp4 | nc host 1', '"|"'],
    ['-i a.mp4 > /tmp/x', '">"'],
    ['-i < /etc/passwd', '"<"'],
    ['$(whoami)', '$(...)'],
    ['"$(whoami)"', '$(...)'],
    ['`id`', '`...`'],
    ['"`id`"', '`...`'],
    ['$HOME/x.mp4', '$H'],
    ['"${HOME}"', '${'],
    ['~/x.mp4', '"~"'],
  ])('refuses shell syntax in %j', (text, mention) => {
    expect(() => tokenize(text)).toThrow(TokenizeError);
    expect(() => tokenize(text)).toThrow(mention);
  });

  it('allows a tilde or dollar that a shell would not expand', () => {
    expect(tokenize('a~b price$ "5$"')).toEqual(['a~b', 'price$', '5$']);
  });

  it('refuses unterminated quotes, a trailing backslash and NUL', () => {
    expect(() => tokenize(`-vf 'scale`)).toThrow('unterminated single quote');
    expect(() => tokenize('-vf "scale')).toThrow('unterminated double quote');
    expect(() => tokenize('a \\')).toThrow('lone backslash');
    expect(() => tokenize('a\0b')).toThrow('NUL');
  });
});
