/** OS notifications from main (the renderer's Notification API stays denied). */
import { Notification } from 'electron';

export function createNotifier(): { notify(title: string, body: string): void } {
  return {
    notify(title, body) {
      if (!Notification.isSupported()) return;
      new Notification({ title, body, silent: false }).show();
    },
  };
}
