/**
 * Key profiles: add, rename, remove, make active, rotate a key (the old one is kept until the
 * new one is verified, in main: a refused or unchecked key leaves it working, and the refusal
 * says so), and the weak key store choice. The session-only profile from RENDERIO_API_KEY is
 * shown as coming from the environment and cannot be renamed or removed (main refuses too).
 * A rename opens inside the profile's own card, under its name (so which one is being renamed
 * stays in view), with Save name, Cancel and Escape.
 */
import { useEffect, useRef, useState } from 'react';
import type { VaultStatus } from '../../../../shared/profileTypes';
import { useAppStore } from '../../store/appStore';
import { clearToolMessage, toolIntent } from './toolsActions';

const KEYS_PAGE = 'https://renderio.dev/dashboard/api-keys';

const VERIFIED: Record<string, string> = {
  true: 'checked with RenderIO',
  false: 'refused by RenderIO',
  null: 'not checked yet',
};

export function ProfileManager() {
  const vault = useAppStore((s) => s.vault);
  const setVault = useAppStore((s) => s.setVault);
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('https://renderio.dev');
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const apply = (status: VaultStatus | undefined) => {
    if (status) setVault(status);
  };
  // Back to the profile's Rename button once its rename is over (saved or cancelled), so the
  // focus is not lost with the field that had it.
  const list = useRef<HTMLUListElement>(null);
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    const id = refocus.current;
    if (id === null || renaming !== null) return;
    refocus.current = null;
    list.current?.querySelector<HTMLButtonElement>(`[data-rename="${CSS.escape(id)}"]`)?.focus();
  }, [renaming]);
  const endRename = (profileId: string) => {
    refocus.current = profileId;
    setRenaming(null);
  };
  if (!vault) return null;
  const weak = !vault.storage.secure;

  return (
    <div className="tool-profiles">
      <ul ref={list} className="profile-list" aria-label="Key profiles">
        {vault.profiles.map((p) => (
          <li key={p.profileId}>
            <span className="name">{p.name}</span>
            <span className="meta">
              {/* This computer needs no key (its internal one is made per launch, never a
                  person's to know): no hint, as the Account drawer says "None needed". */}
              {p.kind === 'local'
                ? 'this computer'
                : `${p.baseUrl} · ${p.configured ? (p.hint ?? 'key set') : 'no key'}`}
              {p.configured && p.kind !== 'local' ? ` · ${VERIFIED[String(p.verified)]}` : ''}
              {p.active ? ' · runs new jobs' : ''}
            </span>
            {p.kind === 'env' && (
              <p className="meta env-note">
                From the environment: the RENDERIO_API_KEY variable gives this profile for this
                session only. It is never saved, and cannot be renamed or removed here; start the
                app without the variable to be rid of it.
              </p>
            )}
            {p.kind === 'cloud' && (
              <span className="row-actions">
                {/* A profile without a key: pasting one is its next step, its one main action. */}
                <button
                  type="button"
                  className={p.configured ? 'secondary small' : 'small'}
                  aria-label={`${p.configured ? 'Paste a new key' : 'Paste a key'} for ${p.name}`}
                  onClick={() =>
                    void toolIntent(
                      (api) => api.vault.pasteFromClipboard({ profileId: p.profileId }),
                      // A rotation: main replaced the old key only after the new one passed.
                      (r) =>
                        p.configured
                          ? `${r.message} The new key replaced the old one of ${p.name}.`
                          : r.message,
                    ).then((r) => apply(r?.status))
                  }
                >
                  {/* The visible words start the accessible name (axe: label-content-name-mismatch). */}
                  {p.configured ? 'Paste a new key' : 'Paste a key'}
                </button>
                {!p.active && p.configured && (
                  <button
                    type="button"
                    className="secondary small"
                    aria-label={`Make active: ${p.name}`}
                    onClick={() =>
                      void toolIntent(
                        (api) => api.vault.setActive({ profileId: p.profileId }),
                        () => `New jobs run on ${p.name}.`,
                      ).then(apply)
                    }
                  >
                    Make active
                  </button>
                )}
                {/* Hidden while its own rename is open: the field below is that rename. */}
                {renaming?.id !== p.profileId && (
                  <button
                    type="button"
                    className="secondary small"
                    data-rename={p.profileId}
                    aria-label={`Rename ${p.name}`}
                    onClick={() => {
                      clearToolMessage();
                      setRemoving(null);
                      setRenaming({ id: p.profileId, name: p.name });
                    }}
                  >
                    Rename
                  </button>
                )}
                <button
                  type="button"
                  className="ghost danger small"
                  aria-label={`Remove ${p.name}`}
                  onClick={() => {
                    // A new step: an earlier message (a refused key) no longer applies.
                    clearToolMessage();
                    setRenaming(null);
                    setRemoving(p.profileId);
                  }}
                >
                  Remove
                </button>
              </span>
            )}
            {renaming?.id === p.profileId && (
              <RenameForm
                name={p.name}
                value={renaming.name}
                onChange={(name) => setRenaming({ id: p.profileId, name })}
                onCancel={() => endRename(p.profileId)}
                onSave={() =>
                  void toolIntent(
                    (api) => api.profiles.update({ profileId: p.profileId, name: renaming.name }),
                    () => `Renamed to "${renaming.name.trim()}".`,
                  ).then((s) => {
                    apply(s);
                    // Refused (a taken name): the field stays, with what was typed.
                    if (s) endRename(p.profileId);
                  })
                }
              />
            )}
            {removing === p.profileId && (
              <div className="confirm" role="alertdialog" aria-label={`Remove ${p.name}?`}>
                <p>
                  Removing “{p.name}” deletes its key from this computer only. It does not revoke
                  the key at RenderIO: it keeps working until you revoke it where keys are managed.
                </p>
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    void toolIntent((api) => api.shell.openExternal({ url: KEYS_PAGE }))
                  }
                >
                  Manage keys at RenderIO
                </button>
                <button
                  type="button"
                  className="danger-solid"
                  onClick={() =>
                    void toolIntent(
                      (api) => api.profiles.remove({ profileId: p.profileId }),
                      () =>
                        `Removed "${p.name}" from this computer. Its key still works at RenderIO until you revoke it.`,
                    ).then((s) => {
                      apply(s);
                      setRemoving(null);
                    })
                  }
                >
                  Remove from this computer
                </button>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => {
                    clearToolMessage();
                    setRemoving(null);
                  }}
                >
                  Keep it
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <form
        className="add-profile"
        aria-label="Add a profile"
        onSubmit={(e) => {
          e.preventDefault();
          void toolIntent(
            (api) => api.profiles.add({ name, baseUrl }),
            () => `Added "${name.trim()}". Paste its key to use it.`,
          ).then((s) => {
            apply(s);
            if (s) setName('');
          });
        }}
      >
        <label>
          Profile name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Production" />
        </label>
        <label>
          API address
          <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
        </label>
        <button type="submit" className="add">
          Add profile
        </button>
      </form>
      {weak && (
        <section className="weak-store" aria-label="Key storage">
          <h2>This computer has no secure key store</h2>
          <p>
            On Linux without a keyring ({vault.storage.backend}), a stored key is only obscured: any
            program running as you could read it. You can keep keys for this session only (pasted
            again at each launch), or store them anyway, weakly protected.
          </p>
          {vault.storage.persistAllowed ? (
            <>
              <p className="weak-choice">Keys are stored anyway (weakly protected).</p>
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void toolIntent(
                    (api) => api.profiles.setWeakStorage({ allow: false }),
                    () =>
                      'Keys are kept for this session only from now on; stored ones were moved off the disk.',
                  ).then(apply)
                }
              >
                Keep keys for this session only
              </button>
            </>
          ) : (
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void toolIntent(
                  (api) => api.profiles.setWeakStorage({ allow: true }),
                  // Less protection than before: done as asked, but not a success to celebrate.
                  () => ({
                    kind: 'warn',
                    text: 'Keys will be stored, weakly protected. You can undo this here.',
                  }),
                ).then(apply)
              }
            >
              Store it anyway (weakly protected)
            </button>
          )}
        </section>
      )}
    </div>
  );
}

/**
 * A profile's rename, inside its own card under its name: the field takes the focus with the
 * current name selected; Save name, Cancel or Escape (which closes this, not the drawer).
 */
function RenameForm(props: {
  name: string;
  value: string;
  onChange(name: string): void;
  onSave(): void;
  onCancel(): void;
}) {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  return (
    <form
      className="rename"
      aria-label={`Rename ${props.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave();
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        clearToolMessage();
        props.onCancel();
      }}
    >
      <label>
        New name
        <input ref={field} value={props.value} onChange={(e) => props.onChange(e.target.value)} />
      </label>
      <button type="submit">Save name</button>
      <button
        type="button"
        className="secondary"
        onClick={() => {
          clearToolMessage();
          props.onCancel();
        }}
      >
        Cancel
      </button>
    </form>
  );
}
