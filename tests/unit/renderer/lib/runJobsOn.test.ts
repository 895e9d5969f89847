import { describe, expect, it } from 'vitest';
import type { ProfileStatus, VaultStatus } from '../../../../shared/profileTypes';
import {
  activeProfile,
  choiceDescription,
  choiceLabel,
  jobsQueuedElsewhere,
  noKeyMessage,
  queuedElsewhereName,
  summaryText,
  switchedMessage,
} from '../../../../renderer/src/lib/runJobsOn';
import { job } from '../jobFixture';

function profile(overrides: Partial<ProfileStatus>): ProfileStatus {
  return {
    profileId: 'cloud',
    name: 'RenderIO',
    baseUrl: 'https://renderio.dev',
    kind: 'cloud',
    active: false,
    configured: true,
    hint: 'ffsk_…c0de',
    verified: null,
    backend: 'gnome_libsecret',
    secure: true,
    sessionOnly: false,
    ...overrides,
  };
}
const local = profile({
  profileId: 'local',
  name: 'This computer',
  baseUrl: 'http://127.0.0.1:8787',
  kind: 'local',
  backend: 'memory',
  sessionOnly: true,
});
function vault(activeId: string | null, profiles: ProfileStatus[]): VaultStatus {
  return {
    activeProfileId: activeId,
    storage: { backend: 'gnome_libsecret', secure: true, persistAllowed: true },
    profiles: profiles.map((p) => ({ ...p, active: p.profileId === activeId })),
  };
}

describe('run jobs on: wording', () => {
  it('says where new jobs run in the header', () => {
    expect(summaryText(null)).toBe('');
    expect(summaryText(vault('local', [local, profile({})]))).toBe('converting on this computer');
    expect(summaryText(vault('cloud', [local, profile({})]))).toBe('converting on RenderIO');
    expect(summaryText(vault('cloud', [local, profile({ verified: false })]))).toBe(
      'converting on RenderIO · key refused',
    );
    expect(summaryText(vault('cloud', [local, profile({ configured: false, hint: null })]))).toBe(
      'RenderIO · no API key',
    );
    expect(summaryText(vault(null, [profile({})]))).toBe('choose where jobs run');
    const env = profile({ profileId: 'env', name: 'RENDERIO_API_KEY', kind: 'env' });
    expect(summaryText(vault('env', [local, env]))).toBe(
      'converting on RenderIO (RENDERIO_API_KEY)',
    );
  });

  it('labels and describes each choice with its key state, never more than the hint', () => {
    expect(choiceLabel(local)).toBe('This computer');
    expect(choiceLabel(profile({ name: 'Studio' }))).toBe('Studio');
    expect(choiceDescription(local)).toMatch(/no account needed/);
    expect(choiceDescription(profile({ verified: true }))).toBe('On renderio.dev; key accepted.');
    expect(choiceDescription(profile({}))).toBe('On renderio.dev; key not checked yet.');
    expect(choiceDescription(profile({ verified: false }))).toMatch(/refused: enter a new key/);
    expect(choiceDescription(profile({ configured: false, hint: null }))).toMatch(/No API key yet/);
  });

  it('finds the active profile by flag or by id', () => {
    const v = vault('cloud', [local, profile({})]);
    expect(activeProfile(v)?.profileId).toBe('cloud');
    expect(
      activeProfile({ ...v, profiles: v.profiles.map((p) => ({ ...p, active: false })) })
        ?.profileId,
    ).toBe('cloud');
    expect(activeProfile(null)).toBeNull();
  });

  it('refuses a profile without a key in the words main uses', () => {
    expect(noKeyMessage('RenderIO', local)).toBe(
      'RenderIO has no API key, so it cannot run jobs. Paste or import a key for it first. New jobs keep running on this computer.',
    );
  });
});

describe('run jobs on: queued jobs keep their profile', () => {
  it('counts unfinished jobs queued for another profile', () => {
    const jobs = [
      job('a'),
      job('b', { stage: 'processing' }),
      job('c', { stage: 'done' }),
      job('d', { settings: { ...job('d').settings, profileId: 'cloud' } }),
    ];
    expect(jobsQueuedElsewhere(jobs, 'cloud')).toBe(2);
    expect(jobsQueuedElsewhere(jobs, 'local')).toBe(1);
  });

  it('says what a switch means for them', () => {
    expect(switchedMessage(profile({}), 0)).toBe('Jobs you add now run on RenderIO.');
    expect(switchedMessage(local, 1)).toBe(
      'Jobs you add now run on this computer. The job already in the queue finishes where it was queued.',
    );
    expect(switchedMessage(profile({}), 3)).toBe(
      'Jobs you add now run on RenderIO. The 3 jobs already in the queue finish where they were queued.',
    );
  });

  it('names where a job runs when it is not where new jobs go', () => {
    const v = vault('cloud', [local, profile({})]);
    expect(queuedElsewhereName(v, 'local')).toBe('this computer');
    expect(queuedElsewhereName(v, 'cloud')).toBeNull();
    expect(queuedElsewhereName(v, 'gone')).toBe('a profile that was removed');
    expect(queuedElsewhereName(null, 'local')).toBeNull();
  });
});
