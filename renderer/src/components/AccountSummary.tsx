import type { VaultStatus } from '../../../shared/profileTypes';
import { summaryText } from '../lib/runJobsOn';

/** The header button's text: where new jobs run ("converting on this computer"). */
export function AccountSummary({ vault }: { vault: VaultStatus | null }) {
  const state = summaryText(vault);
  return <span>Account{state && <span className="muted"> · {state}</span>}</span>;
}
