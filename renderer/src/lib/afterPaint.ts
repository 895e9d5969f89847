/**
 * Runs once the browser has painted (a frame, then a task). For work the first frame does not
 * show, such as a request whose answer comes later anyway: started in an effect of the first
 * render, it would run before that render's frame is painted (a render forced with flushSync
 * runs its effects in the same task).
 */
export function afterPaint(run: () => void): void {
  requestAnimationFrame(() => setTimeout(run, 0));
}
