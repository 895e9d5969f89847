import { useAppStore } from '../store/appStore';

/** The latest problem or result of an action, with the files that were refused and why. */
export function NoticeBar() {
  const notice = useAppStore((s) => s.notice);
  const setNotice = useAppStore((s) => s.setNotice);
  if (!notice) return null;
  return (
    <div
      className={`notice notice-${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
    >
      <div className="notice-body">
        <p>{notice.text}</p>
        {notice.rejected && notice.rejected.length > 0 && (
          <ul className="rejected">
            {notice.rejected.slice(0, 20).map((r) => (
              <li key={r.path}>
                <span className="path">{r.path.split(/[\\/]/).pop()}</span>: {r.reason}
              </li>
            ))}
            {notice.rejected.length > 20 && <li>…and {notice.rejected.length - 20} more</li>}
          </ul>
        )}
        {notice.action && (
          <button
            type="button"
            className="secondary small notice-action"
            onClick={() => {
              setNotice(null);
              notice.action?.run();
            }}
          >
            {notice.action.label}
          </button>
        )}
      </div>
      <button
        type="button"
        className="ghost small"
        onClick={() => setNotice(null)}
        aria-label="Dismiss message"
      >
        ×
      </button>
    </div>
  );
}
