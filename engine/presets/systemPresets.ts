/** The engine's system presets: always listed, never changed. Ids are fixed so clients can keep them. */
import type { PresetObject } from '../../shared/renderioApi';

const AT = '2026-01-01T00:00:00.000Z';

function system(
  preset_id: string,
  name: string,
  category: string,
  description: string,
  ffmpeg_command: string,
  output: string,
): PresetObject {
  return {
    preset_id,
    name,
    description,
    is_system: true,
    category,
    command_type: 'FFMPEG_COMMAND',
    ffmpeg_command,
    ffmpeg_commands: null,
    input_file_keys: ['in_file'],
    output_file_definitions: { out_file: output },
    metadata: null,
    created_at: AT,
    updated_at: AT,
  };
}

export const SYSTEM_PRESETS: readonly PresetObject[] = [
  system(
    '00000000-0000-4000-8000-000000000001',
    'WebM (VP9 + Opus)',
    'video',
    'Converts a video to WebM with VP9 video and Opus audio.',
    '-i {{in_file}} -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 1M -c:a libopus {{out_file}}',
    'output.webm',
  ),
  system(
    '00000000-0000-4000-8000-000000000002',
    'MP4 (H.264 + AAC)',
    'video',
    'Converts a video to MP4 with H.264 video and AAC audio.',
    '-i {{in_file}} -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -movflags +faststart {{out_file}}',
    'output.mp4',
  ),
  system(
    '00000000-0000-4000-8000-000000000003',
    'Animated GIF',
    'image',
    'Turns a video into an animated GIF, 10 frames per second, 320 pixels wide.',
    '-i {{in_file}} -vf fps=10,scale=320:-2:flags=lanczos {{out_file}}',
    'output.gif',
  ),
  system(
    '00000000-0000-4000-8000-000000000004',
    'MP3 audio',
    'audio',
    'Extracts the audio as MP3 (VBR quality 2).',
    '-i {{in_file}} -vn -c:a libmp3lame -q:a 2 {{out_file}}',
    'output.mp3',
  ),
];
