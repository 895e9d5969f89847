/**
 * Account presets on a RenderIO server (the real engine standing in for it): what a person
 * makes in the dashboard, here made over the API the way the dashboard would.
 */
import type { CreatePresetRequest, PresetObject } from '../../shared/renderioApi';
import { API_KEY_HEADER, API_PREFIX } from '../../shared/renderioApi';

/** A preset that overlays a logo: two inputs, so RenderIO Desktop cannot run it. */
export const WATERMARK: CreatePresetRequest = {
  name: 'Watermark',
  description: 'Logo in the corner',
  ffmpeg_command:
    '-i {{in_video}} -i {{in_logo}} -filter_complex overlay=10:10 -c:a copy {{out_video}}',
  input_file_keys: ['in_video', 'in_logo'],
  output_file_definitions: { out_video: 'marked.mp4' },
};

/** POST /api/v1/presets with the key; the created preset. */
export async function createAccountPreset(
  baseUrl: string,
  key: string,
  definition: CreatePresetRequest,
): Promise<PresetObject> {
  const response = await fetch(`${baseUrl}${API_PREFIX}/presets`, {
    method: 'POST',
    headers: { [API_KEY_HEADER]: key, 'content-type': 'application/json' },
    body: JSON.stringify(definition),
  });
  if (response.status !== 201)
    throw new Error(`POST /presets: ${response.status} ${await response.text()}`);
  return (await response.json()) as PresetObject;
}
