/** An error meant for the person: its code and message cross to the renderer (redacted). */
export class IpcFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'IpcFailure';
    this.code = code;
  }
}
