import { describe, expect, it } from 'vitest';
import { parseFilterGraph } from '../../../../shared/ffmpeg/filterGraph';

describe('parseFilterGraph', () => {
  it('finds every filter of a chain and a complex graph', () => {
    const graph =
      'fps=10,scale=320:-1:flags=lanczos,split[s0][s1];[s0]palettegen[p];[s1][p]paletteuse';
    expect(parseFilterGraph(graph).map((f) => f.name)).toEqual([
      'fps',
      'scale',
      'split',
      'palettegen',
      'paletteuse',
    ]);
  });

  it('reads positional and named options', () => {
    expect(parseFilterGraph('scale=640:-2:flags=bicubic')[0]?.options).toEqual([
      { key: null, value: '640' },
      { key: null, value: '-2' },
      { key: 'flags', value: 'bicubic' },
    ]);
  });

  it('unescapes names and values the way libavfilter does', () => {
    expect(parseFilterGraph("'mo'vie=x.mp4")[0]?.name).toBe('movie');
    expect(parseFilterGraph('m\\ovie=x.mp4')[0]?.name).toBe('movie');
    expect(parseFilterGraph("subtitles='\\/etc/passwd'")[0]?.options[0]?.value).toBe('/etc/passwd');
    expect(parseFilterGraph("drawtext=text='a\\:b':fontfile=f.ttf")[0]?.options).toEqual([
      { key: 'text', value: 'a:b' },
      { key: 'fontfile', value: 'f.ttf' },
    ]);
  });

  it('drops the instance name and a leading sws_flags', () => {
    expect(
      parseFilterGraph('sws_flags=lanczos;[0:v]scale@s1=320:240[out]').map((f) => f.name),
    ).toEqual(['scale']);
  });
});
