/**
 * Pure wording for "Run jobs on": which profile runs new jobs, how the header and the radio
 * group say it, and what a switch means for jobs already in the queue. No DOM, no store.
 */
import type { Job } from '../../../shared/jobs';
import type { ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import { capitalized } from './format';
import { isFinished } from './stageView';

export function activeProfile(vault: VaultStatus | null): ProfileStatus | null {
  if (!vault) return null;
  return (
    vault.profiles.find((p) => p.active) ??
    vault.profiles.find((p) => p.profileId === vault.activeProfileId) ??
    null
  );
}

/** Where a profile runs jobs, inside a sentence: "this computer", "RenderIO". */
export function placeName(profile: Pick<ProfileStatus, 'kind' | 'name'>): string {
  if (profile.kind === 'local') return 'this computer';
  if (profile.kind === 'env') return 'RenderIO (RENDERIO_API_KEY)';
  return profile.name;
}

/** The radio's label: "This computer", "RenderIO". */
export function choiceLabel(profile: Pick<ProfileStatus, 'kind' | 'name'>): string {
  return capitalized(placeName(profile));
}

/** The line under a radio: what the choice means and the state of its key. */
export function choiceDescription(profile: ProfileStatus): string {
  if (profile.kind === 'local') return 'ffmpeg on this computer; no account needed.';
  const where = `On ${hostOf(profile.baseUrl)}`;
  if (!profile.configured) return `${where}. No API key yet: paste or import one below first.`;
  // The masked hint is on the profile's card below; here, only what the choice depends on.
  const key = profile.kind === 'env' ? 'key from RENDERIO_API_KEY' : 'key';
  if (profile.verified === true) return `${where}; ${key} accepted.`;
  if (profile.verified === false) return `${where}; ${key} refused: enter a new key.`;
  return `${where}; ${key} not checked yet.`;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/** The header button's text after "Account": where new jobs run and any problem with that. */
export function summaryText(vault: VaultStatus | null): string {
  if (!vault) return '';
  const profile = activeProfile(vault);
  if (!profile) return 'choose where jobs run';
  const place = placeName(profile);
  if (!profile.configured) return `${place} · no API key`;
  if (profile.verified === false) return `converting on ${place} · key refused`;
  return `converting on ${place}`;
}

/** The refusal for a profile without a key (main says the same for a profile it knows). */
export function noKeyMessage(name: string, active: ProfileStatus | null): string {
  const keep = active ? ` New jobs keep running on ${placeName(active)}.` : '';
  return `${name} has no API key, so it cannot run jobs. Paste or import a key for it first.${keep}`;
}

/** Jobs not finished that were queued for another profile than this one: they stay there. */
export function jobsQueuedElsewhere(jobs: Iterable<Job>, profileId: string): number {
  let n = 0;
  for (const job of jobs) if (!isFinished(job.stage) && job.settings.profileId !== profileId) n++;
  return n;
}

/** What a switch means, in one or two sentences. */
export function switchedMessage(
  profile: Pick<ProfileStatus, 'kind' | 'name'>,
  queuedElsewhere: number,
): string {
  const now = `Jobs you add now run on ${placeName(profile)}.`;
  if (queuedElsewhere === 0) return now;
  const jobs = queuedElsewhere === 1 ? 'The job' : `The ${queuedElsewhere} jobs`;
  return `${now} ${jobs} already in the queue ${queuedElsewhere === 1 ? 'finishes' : 'finish'} where ${queuedElsewhere === 1 ? 'it was' : 'they were'} queued.`;
}

/**
 * For a job queued for another profile than the one new jobs use: where it runs ("this
 * computer", "RenderIO"); null when it runs where new jobs go.
 */
export function queuedElsewhereName(
  vault: VaultStatus | null,
  profileId: string | undefined,
): string | null {
  if (!vault || profileId === undefined || profileId === vault.activeProfileId) return null;
  const profile = vault.profiles.find((p) => p.profileId === profileId);
  return profile ? placeName(profile) : 'a profile that was removed';
}
