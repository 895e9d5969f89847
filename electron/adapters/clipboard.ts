/** The clipboard, read in main only: a pasted key never passes through the renderer. */
import { clipboard } from 'electron';
import type { IpcClipboard } from '../core/ipc/ports';

export function createClipboard(): IpcClipboard {
  return { readText: () => clipboard.readText() };
}
