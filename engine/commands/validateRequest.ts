/**
 * Engine-level checks of a submitted command, all answered with 422 issues before anything
 * runs: the shared template rules, the input URL policy, the engine's own storage URLs, and
 * the argument safety rules of engine/ffmpeg (no absolute paths, `..`, protocols, shell syntax).
 */
import { validateCommandTemplate, type ValidationIssue } from '../../shared/commandTemplate';
import type { Metadata } from '../../shared/renderioApi';
import { prepareFfmpegArgs, UnsafeCommandError } from '../../shared/ffmpeg/argumentRules';
import type { FileService } from '../files/fileService';
import { describeInputUrlProblem } from '../files/inputUrl';
import { issue } from '../http/errors';

export interface CommandSpec {
  input_files: Record<string, string>;
  output_files: Record<string, string>;
  /** One entry for a single command, several for a chain. */
  commands: string[];
  chained: boolean;
}

type Loc = (string | number)[];

export function validateCommandSpec(
  body: Record<string, unknown>,
  files: FileService,
  chained: boolean,
  prefix: Loc = [],
): { spec: CommandSpec | null; issues: ValidationIssue[] } {
  const template = chained
    ? {
        input_files: body.input_files,
        output_files: body.output_files,
        ffmpeg_commands: body.ffmpeg_commands ?? [],
      }
    : {
        input_files: body.input_files,
        output_files: body.output_files,
        ffmpeg_command: body.ffmpeg_command,
      };
  const issues = validateCommandTemplate(template).map((i) => ({
    ...i,
    loc: [...prefix, ...i.loc],
  }));

  if (typeof body.input_files === 'object' && body.input_files !== null) {
    for (const [alias, url] of Object.entries(body.input_files as Record<string, unknown>)) {
      if (typeof url !== 'string' || url.trim() === '') continue; // reported by the shared rules
      const problem = describeInputUrlProblem(url);
      if (problem) {
        issues.push(issue([...prefix, 'input_files', alias], `input URL ${problem}`));
        continue;
      }
      const local = files.lookupStorageUrl(url);
      if (local.kind === 'refused')
        issues.push(issue([...prefix, 'input_files', alias], `input URL ${local.reason}`));
    }
  }
  if (issues.length > 0) return { spec: null, issues };

  const commands = chained ? (body.ffmpeg_commands as string[]) : [body.ffmpeg_command as string];
  commands.forEach((text, i) => {
    try {
      prepareFfmpegArgs(text, (alias) => `./${alias}`);
    } catch (error) {
      if (!(error instanceof UnsafeCommandError)) throw error;
      const loc: Loc = chained ? [...prefix, 'ffmpeg_commands', i] : [...prefix, 'ffmpeg_command'];
      issues.push(issue(loc, error.message));
    }
  });
  if (issues.length > 0) return { spec: null, issues };
  return {
    spec: {
      input_files: body.input_files as Record<string, string>,
      output_files: body.output_files as Record<string, string>,
      commands,
      chained,
    },
    issues,
  };
}

/** `metadata` and `webhook_url`, common to every submit. */
export function validateExtras(body: Record<string, unknown>): {
  metadata: Metadata | null;
  webhookUrl: string | null;
  issues: ValidationIssue[];
} {
  const issues: ValidationIssue[] = [];
  // Metadata rules live in the shared validator; run it on a minimal valid template.
  for (const i of validateCommandTemplate({
    input_files: { in_x: 'x' },
    output_files: { out_x: 'x.mp4' },
    ffmpeg_command: '{{in_x}} {{out_x}}',
    metadata: body.metadata,
  }))
    issues.push(i);
  let webhookUrl: string | null = null;
  if (body.webhook_url !== undefined && body.webhook_url !== null) {
    const problem = describeInputUrlProblem(body.webhook_url);
    if (problem) issues.push(issue(['webhook_url'], `webhook_url ${problem}`));
    else webhookUrl = body.webhook_url as string;
  }
  const metadata =
    body.metadata && typeof body.metadata === 'object' ? (body.metadata as Metadata) : null;
  return { metadata, webhookUrl, issues };
}
