/**
 * `renderio-convert presets export` and `presets import FILE`: custom presets as the versioned
 * JSON file of docs/PRESETS.md, over the same preset library as the app (<data-dir>/presets.json).
 * An import is all or nothing: a file with one refused preset imports none, and says why for each.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkPresetCommand } from '../electron/core/presets/commandSafety';
import { openPresetLibrary, type PresetLibrary } from '../electron/core/presets/presetLibrary';
import { BUILT_IN_PRESETS, presetProblems } from '../shared/presets';
import { formatBytes } from '../shared/byteSize';
import { CliError, EXIT, usageError } from './exitStatus';
import { checkFolder } from './inputChecks';
import { shownPath, shownText } from './printable';
import type { CliIo } from './convert';

/** A preset file bigger than this is refused unread (1000 presets of 20 KB commands). */
export const MAX_PRESET_FILE_BYTES = 32 * 1024 * 1024;

async function openLibrary(dataDir: string): Promise<PresetLibrary> {
  return openPresetLibrary({
    dataDir,
    builtIns: BUILT_IN_PRESETS,
    validate: (preset) => presetProblems(preset, { checkCommand: checkPresetCommand }),
  });
}

async function dataDirOf(flag: string | undefined, verb: string): Promise<string> {
  if (flag === undefined)
    throw usageError(
      `presets ${verb} needs --data-dir DIR: the folder whose presets.json holds the custom presets.`,
    );
  await checkFolder('--data-dir', flag);
  return resolve(flag);
}

async function readPresetFile(path: string): Promise<string> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error)
    throw new CliError(
      info.code === 'ENOENT'
        ? `${shownPath(path)} does not exist.`
        : `${shownPath(path)} cannot be read (${info.code === 'EACCES' ? 'no permission' : (info.code ?? info.message)}).`,
      EXIT.usage,
    );
  if (!info.isFile()) throw new CliError(`${shownPath(path)} is not a file.`, EXIT.usage);
  if (info.size > MAX_PRESET_FILE_BYTES)
    throw new CliError(
      `${shownPath(path)} is too large to be a preset file (${formatBytes(info.size)}).`,
      EXIT.failed,
    );
  return readFile(path, 'utf8');
}

export async function presetsFileCommand(
  verb: 'export' | 'import',
  args: string[],
  io: CliIo,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { 'data-dir': { type: 'string' } },
    allowPositionals: verb === 'import',
  });
  const dataDir = await dataDirOf(values['data-dir'], verb);
  if (verb === 'export') {
    const library = await openLibrary(dataDir);
    io.stdout(library.exportJson());
    return EXIT.ok;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0)
    throw usageError('presets import takes one file: renderio-convert presets import FILE.');
  const text = await readPresetFile(resolve(file));
  const library = await openLibrary(dataDir);
  let result: Awaited<ReturnType<PresetLibrary['importJson']>>;
  try {
    result = await library.importJson(text, { allOrNothing: true });
  } catch (error) {
    io.stderr(`${(error as Error).message}\nNothing was imported.\n`);
    return EXIT.failed;
  }
  if (result.rejected.length > 0) {
    for (const r of result.rejected)
      io.stderr(`refused "${shownText(r.name)}": ${shownText(r.reason, true)}\n`);
    io.stderr(
      `Nothing was imported: ${result.rejected.length} preset(s) of the file were refused. Fix them and import the file again.\n`,
    );
    return EXIT.failed;
  }
  if (result.imported.length === 0) {
    io.stderr('The file holds no presets; nothing was imported.\n');
    return EXIT.failed;
  }
  for (const p of result.imported) io.stdout(`${p.id}  ${shownText(p.name)}\n`);
  io.stderr(`${result.imported.length} preset(s) imported.\n`);
  return EXIT.ok;
}
