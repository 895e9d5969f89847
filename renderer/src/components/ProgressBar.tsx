/**
 * role=progressbar with an accessible name; aria-valuenow only when the value is known, so an
 * indeterminate bar is announced as busy rather than as 0%.
 */
export function ProgressBar({
  label,
  fraction,
  valueText,
  tone = 'active',
}: {
  label: string;
  fraction: number | null;
  valueText: string;
  tone?: string;
}) {
  const known = fraction !== null;
  // Floored like formatPercent, so the bar and the text beside it say the same number.
  const percent = known ? Math.floor(Math.min(1, Math.max(0, fraction)) * 100) : null;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(percent !== null ? { 'aria-valuenow': percent } : {})}
      aria-valuetext={valueText}
      className={`bar bar-${tone}${known ? '' : ' is-indeterminate'}`}
    >
      <div
        className="bar-fill"
        style={known ? { transform: `scaleX(${(percent ?? 0) / 100})` } : undefined}
      />
    </div>
  );
}
