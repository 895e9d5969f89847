import { useEffect, useId, useRef, useState } from 'react';
import type { KeyEntryResult } from '../../../shared/ipc/contract';
import type { ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import { intent } from '../actions';
import { errorMessage, requireApi } from '../api';
import {
  activeProfile,
  choiceDescription,
  choiceLabel,
  jobsQueuedElsewhere,
  noKeyMessage,
  placeName,
  switchedMessage,
} from '../lib/runJobsOn';
import { useAppStore } from '../store/appStore';

const BACKEND_NAMES: Record<string, string> = {
  keychain: 'macOS Keychain',
  dpapi: 'Windows DPAPI',
  gnome_libsecret: 'Secret Service (libsecret)',
  kwallet: 'KWallet',
  kwallet5: 'KWallet 5',
  kwallet6: 'KWallet 6',
  basic_text: 'basic text (no OS key store)',
  unknown: 'unknown',
  memory: 'memory only (this session)',
};

function backendName(backend: string): string {
  return BACKEND_NAMES[backend] ?? backend;
}

function verifiedText(p: ProfileStatus): string {
  if (!p.configured) return '—';
  if (p.verified === true) return 'Accepted by RenderIO';
  if (p.verified === false) return 'Refused by RenderIO: enter a new key';
  return 'Not checked yet';
}

/** A follow-up the message offers, such as keeping a key for this session only. */
interface FollowUp {
  label: string;
  run: () => void;
}
/** info: neutral; success: done and checked; warning: done with a caveat, or refused for a reason to fix; error: failed. */
type Tone = 'success' | 'info' | 'warning' | 'error';
type Report = (text: string, tone: Tone, followUp?: FollowUp) => void;
type KeyAction = () => Promise<KeyEntryResult | VaultStatus | undefined>;

/** What switching new jobs to `profile` means for the jobs already in the queue. */
function switchedTo(profile: ProfileStatus): string {
  const { jobsById } = useAppStore.getState().queue;
  return switchedMessage(profile, jobsQueuedElsewhere(Object.values(jobsById), profile.profileId));
}

/** Makes a profile run new jobs; says what that means for jobs already queued, or why not. */
async function chooseRunsOn(profile: ProfileStatus, onResult: Report): Promise<void> {
  const { setVault } = useAppStore.getState();
  try {
    const next = await requireApi().vault.setActive({ profileId: profile.profileId });
    setVault(next);
    onResult(switchedTo(profile), 'info');
  } catch (error) {
    // A profile without a key is a step to take, not a failure.
    const noKey = (error as { code?: unknown }).code === 'no-key';
    onResult(errorMessage(error), noKey ? 'warning' : 'error');
  }
}

/** The sentence, tone and follow-up for a key that was saved. */
function reportSaved(result: Extract<KeyEntryResult, { outcome: 'saved' }>, onResult: Report) {
  const profile = result.status.profiles.find((p) => p.profileId === result.profileId);
  const active = activeProfile(result.status);
  const local = result.status.profiles.find((p) => p.kind === 'local');
  // An unchecked key is kept, but RenderIO has not said yes: a warning, not a success.
  const tone: Tone = result.verified === true ? 'success' : 'warning';
  if (result.runJobsOn === 'switched' && profile) {
    onResult(
      `${result.message} ${switchedTo(profile)}`,
      tone,
      local
        ? {
            label: 'Keep converting on this computer',
            run: () => void chooseRunsOn(local, onResult),
          }
        : undefined,
    );
  } else if (result.runJobsOn === 'offered' && profile && active) {
    onResult(`${result.message} New jobs still run on ${placeName(active)}.`, tone, {
      label: `Run jobs on ${choiceLabel(profile)}`,
      run: () => void chooseRunsOn(profile, onResult),
    });
  } else {
    onResult(result.message, tone);
  }
}

/** Runs a key action; its result or error is reported next to the buttons. */
function useKeyAction(onResult: Report) {
  const setVault = useAppStore((s) => s.setVault);
  const [busy, setBusy] = useState(false);
  const run = async (label: string, action: KeyAction, sessionOnly?: KeyAction): Promise<void> => {
    setBusy(true);
    try {
      let result: Awaited<ReturnType<typeof action>>;
      try {
        result = await action();
      } catch (error) {
        // Shown here, next to the button that was pressed; main has already redacted it.
        const weakStore = (error as { code?: unknown }).code === 'key-insecure-storage';
        onResult(
          errorMessage(error),
          weakStore ? 'warning' : 'error',
          weakStore && sessionOnly
            ? {
                label: 'Keep the key for this session only',
                run: () => void run(label, sessionOnly),
              }
            : undefined,
        );
        return;
      }
      if (!result) return;
      if ('profiles' in result) {
        const before = activeProfile(useAppStore.getState().vault);
        setVault(result);
        const after = activeProfile(result);
        const moved =
          after && after.profileId !== before?.profileId ? ` ${switchedMessage(after, 0)}` : '';
        onResult(`${label}${moved}`, 'info');
      } else if (result.outcome === 'saved') {
        setVault(result.status);
        reportSaved(result, onResult);
      } else {
        setVault(result.status);
        onResult(result.message, 'info');
      }
    } finally {
      setBusy(false);
    }
  };
  /** Enters a key from the clipboard or a file, offering session-only on a weak key store. */
  const enterKey = (source: 'pasteFromClipboard' | 'importFromFile', profileId?: string) => {
    const target = profileId !== undefined ? { profileId } : {};
    return run(
      '',
      () => requireApi().vault[source](target),
      () => requireApi().vault[source]({ ...target, sessionOnly: true }),
    );
  };
  return { busy, run, enterKey };
}

/** The two ways a key enters main; the page never holds it. */
function KeyEntryButtons({
  busy,
  enterKey,
  profileId,
}: {
  busy: boolean;
  enterKey: ReturnType<typeof useKeyAction>['enterKey'];
  profileId?: string;
}) {
  return (
    <>
      <button
        type="button"
        disabled={busy}
        onClick={() => void enterKey('pasteFromClipboard', profileId)}
      >
        Paste key from clipboard
      </button>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        onClick={() => void enterKey('importFromFile', profileId)}
      >
        Import key from file…
      </button>
    </>
  );
}

/** Shown while no cloud account exists: entering a key creates one. */
function NewKeyCard({ onResult }: { onResult: Report }) {
  const { busy, enterKey } = useKeyAction(onResult);
  return (
    <article className="profile" aria-labelledby="new-key-heading">
      <h3 id="new-key-heading">RenderIO</h3>
      <p className="hint">
        Convert on RenderIO's servers with your account's API key. The key stays in the app's main
        process; this window only ever sees a masked hint.
      </p>
      <div className="actions">
        <KeyEntryButtons busy={busy} enterKey={enterKey} />
      </div>
    </article>
  );
}

/** A server as a person knows it: its host (renderio.dev), the full address in a tooltip. */
function serverName(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return url.port ? url.host : url.hostname;
  } catch {
    return baseUrl;
  }
}

function ProfileCard({ profile, onResult }: { profile: ProfileStatus; onResult: Report }) {
  const { busy, run, enterKey } = useKeyAction(onResult);
  const editable = profile.kind === 'cloud';

  return (
    <article
      className={`profile${profile.active ? ' is-active' : ''}`}
      aria-labelledby={`profile-${profile.profileId}`}
    >
      <h3 id={`profile-${profile.profileId}`}>
        {profile.name}
        {profile.active && <span className="badge">Runs new jobs</span>}
      </h3>
      <dl className="facts">
        {/* This computer's converter is no server a person deals with: no address, no port. */}
        <dt>{profile.kind === 'local' ? 'Runs' : 'Server'}</dt>
        <dd>
          {profile.kind === 'local' ? (
            'On this computer, with its own ffmpeg'
          ) : (
            <code title={profile.baseUrl}>{serverName(profile.baseUrl)}</code>
          )}
        </dd>
        <dt>API key</dt>
        <dd data-testid="key-state">
          {profile.kind === 'local' ? (
            'None needed'
          ) : profile.configured ? (
            <>
              Set <code>{profile.hint ?? ''}</code>
              {profile.kind === 'env' && ' (from RENDERIO_API_KEY)'}
            </>
          ) : (
            'Not set'
          )}
        </dd>
        {/* The local engine's key never leaves this process: nothing to check or store. */}
        {profile.kind !== 'local' && (
          <>
            <dt>Checked</dt>
            <dd>{verifiedText(profile)}</dd>
            {profile.configured && (
              <>
                <dt>Stored in</dt>
                <dd>
                  {backendName(profile.backend)}{' '}
                  <span className={profile.secure ? 'pill ok' : 'pill warn'}>
                    {profile.secure ? 'secure' : 'not secure'}
                  </span>
                  {profile.sessionOnly && profile.backend !== 'memory' && (
                    <span className="pill">session only</span>
                  )}
                </dd>
              </>
            )}
          </>
        )}
      </dl>
      {editable && (
        <div className="actions">
          <KeyEntryButtons busy={busy} enterKey={enterKey} profileId={profile.profileId} />
          {profile.configured && (
            <button
              type="button"
              className="ghost danger"
              disabled={busy}
              onClick={() =>
                void run('API key removed.', () =>
                  requireApi().vault.clear({ profileId: profile.profileId }),
                )
              }
            >
              Remove key
            </button>
          )}
        </div>
      )}
    </article>
  );
}

/**
 * "Run jobs on": one radio per profile (and RenderIO before it has one), the active one
 * checked. Main refuses a profile without a key; jobs already queued keep theirs.
 */
function RunJobsOn({ vault, onResult }: { vault: VaultStatus; onResult: Report }) {
  const base = useId();
  const [busy, setBusy] = useState(false);
  const active = activeProfile(vault);
  const hasCloud = vault.profiles.some((p) => p.kind !== 'local');
  const choose = async (profile: ProfileStatus | null) => {
    // Not disabled while busy: a disabled radio would drop the keyboard focus.
    if (busy) return;
    if (!profile) {
      onResult(noKeyMessage('RenderIO', active), 'warning');
      return;
    }
    setBusy(true);
    try {
      await chooseRunsOn(profile, onResult);
    } finally {
      setBusy(false);
    }
  };
  const row = (
    id: string,
    label: string,
    description: string,
    checked: boolean,
    pick: () => void,
  ) => (
    <div className="run-on-choice" key={id}>
      <input
        type="radio"
        id={`${base}-${id}`}
        name={`${base}-run-on`}
        checked={checked}
        aria-describedby={`${base}-${id}-desc`}
        onChange={pick}
      />
      <label htmlFor={`${base}-${id}`}>{label}</label>
      <span id={`${base}-${id}-desc`} className="hint">
        {description}
      </span>
    </div>
  );
  return (
    <fieldset className="run-on framed" aria-busy={busy}>
      <legend>Run jobs on</legend>
      {vault.profiles.map((p) =>
        row(p.profileId, choiceLabel(p), choiceDescription(p), p.active, () => void choose(p)),
      )}
      {!hasCloud &&
        row(
          'new-cloud',
          'RenderIO',
          'No API key yet: paste or import one below first.',
          false,
          () => void choose(null),
        )}
    </fieldset>
  );
}

/**
 * Key status only. The key itself is entered in main (clipboard, a file chosen in a native
 * dialog, or RENDERIO_API_KEY) and never comes back here.
 */
export function AccountPanel({ onClose }: { onClose: () => void }) {
  const vault = useAppStore((s) => s.vault);
  const setVault = useAppStore((s) => s.setVault);
  const [message, setMessage] = useState<{
    text: string;
    tone: Tone;
    followUp?: FollowUp;
  } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const report: Report = (text, tone, followUp) =>
    setMessage(text ? { text, tone, ...(followUp ? { followUp } : {}) } : null);

  useEffect(() => {
    heading.current?.focus();
    void intent((a) => a.vault.status()).then((v) => v && setVault(v));
  }, [setVault]);

  // Escape closes the drawer wherever focus is (a pressed button may have been disabled meanwhile).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside id="account-panel" className="panel account-panel" aria-labelledby="account-heading">
      <div className="panel-head">
        <h2 id="account-heading" ref={heading} tabIndex={-1}>
          Account and keys
        </h2>
        <button
          type="button"
          className="ghost small"
          onClick={onClose}
          aria-label="Close account panel"
        >
          ×
        </button>
      </div>
      {vault && !vault.storage.secure && (
        <p className="notice notice-warning">
          This system has no secure key store (it reports “{vault.storage.backend}”).{' '}
          {vault.storage.persistAllowed
            ? 'Keys are saved with weak protection, as you chose.'
            : 'Keys are kept in memory for this session only.'}
        </p>
      )}
      {vault && <RunJobsOn vault={vault} onResult={report} />}
      <div role="status" className="account-message">
        {message && (
          <div className={`notice notice-${message.tone}`}>
            <div className="notice-body">
              <p>{message.text}</p>
              {message.followUp && (
                <button
                  type="button"
                  className="secondary small follow-up"
                  onClick={message.followUp.run}
                >
                  {message.followUp.label}
                </button>
              )}
            </div>
          </div>
        )}
      </div>
      {vault ? (
        <>
          {vault.profiles.map((p) => (
            <ProfileCard key={p.profileId} profile={p} onResult={report} />
          ))}
          {!vault.profiles.some((p) => p.kind === 'cloud') && <NewKeyCard onResult={report} />}
        </>
      ) : (
        <p>Loading…</p>
      )}
      <p className="hint">
        You can also start the app with the <code>RENDERIO_API_KEY</code> environment variable set;
        that key is used for the session and never saved.
      </p>
    </aside>
  );
}
