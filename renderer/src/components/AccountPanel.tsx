import { useEffect, useRef, useState } from 'react';
import type { ProfileStatus, VaultStatus } from '../../../shared/profileTypes';
import { intent } from '../actions';
import { errorMessage, getApi, type Api } from '../api';
import { useAppStore } from '../store/appStore';

function activeProfile(vault: VaultStatus | null): ProfileStatus | null {
  if (!vault) return null;
  return (
    vault.profiles.find((p) => p.active) ??
    vault.profiles.find((p) => p.profileId === vault.activeProfileId) ??
    null
  );
}

/** The header button's text: which profile runs jobs and whether it has a key. */
export function AccountSummary({ vault }: { vault: VaultStatus | null }) {
  const profile = activeProfile(vault);
  let state = '';
  if (vault && !profile) state = 'no key set';
  else if (profile?.kind === 'local') state = 'converting on this computer';
  else if (profile)
    state = `${profile.name} · ${profile.configured ? (profile.hint ?? 'key set') : 'no key set'}`;
  return <span>Account{state && <span className="muted"> · {state}</span>}</span>;
}

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
  if (!p.configured || p.kind === 'local') return '—';
  if (p.verified === true) return 'Accepted by the API';
  if (p.verified === false) return 'Refused by the API';
  return 'Not checked yet';
}

function bridge(): Api {
  const api = getApi();
  if (!api) throw new Error('The app bridge is missing.');
  return api;
}

/** A follow-up the message offers, such as keeping a key for this session only. */
interface FollowUp {
  label: string;
  run: () => void;
}
type Report = (text: string, tone: 'success' | 'error' | 'info', followUp?: FollowUp) => void;
type KeyAction = () => Promise<
  { message: string; status: VaultStatus; outcome?: string } | VaultStatus | undefined
>;

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
          'error',
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
        setVault(result);
        onResult(label, 'info');
      } else {
        setVault(result.status);
        onResult(result.message, result.outcome === 'cancelled' ? 'info' : 'success');
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
      () => bridge().vault[source](target),
      () => bridge().vault[source]({ ...target, sessionOnly: true }),
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
      <h3 id="new-key-heading">RenderIO cloud</h3>
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
        {profile.active && <span className="badge">Active</span>}
      </h3>
      <dl className="facts">
        <dt>Server</dt>
        <dd>
          <code>{profile.baseUrl}</code>
        </dd>
        <dt>API key</dt>
        <dd data-testid="key-state">
          {profile.kind === 'local' ? (
            'A new key each launch, kept in memory'
          ) : profile.configured ? (
            <>
              Set <code>{profile.hint ?? ''}</code>
              {profile.kind === 'env' && ' (from RENDERIO_API_KEY)'}
            </>
          ) : (
            'Not set'
          )}
        </dd>
        <dt>Checked</dt>
        <dd>{verifiedText(profile)}</dd>
        <dt>Stored in</dt>
        <dd>
          {backendName(profile.backend)}{' '}
          <span className={profile.secure ? 'pill ok' : 'pill warn'}>
            {profile.secure ? 'secure' : 'not secure'}
          </span>
          {profile.sessionOnly && <span className="pill">session only</span>}
        </dd>
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
                  bridge().vault.clear({ profileId: profile.profileId }),
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
 * Key status only. The key itself is entered in main (clipboard, a file chosen in a native
 * dialog, or RENDERIO_API_KEY) and never comes back here.
 */
export function AccountPanel({ onClose }: { onClose: () => void }) {
  const vault = useAppStore((s) => s.vault);
  const setVault = useAppStore((s) => s.setVault);
  const [message, setMessage] = useState<{
    text: string;
    tone: string;
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
        <p className="notice notice-info">
          This system has no secure key store (it reports “{vault.storage.backend}”).{' '}
          {vault.storage.persistAllowed
            ? 'Keys are saved with weak protection, as you chose.'
            : 'Keys are kept in memory for this session only.'}
        </p>
      )}
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
