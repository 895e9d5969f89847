/**
 * A job's error as the person reads it (issue #11, "plain words"). The sources already word
 * their failures; this is the last pass before a message is stored in a job and shown:
 * - no errno codes (ENOENT, EACCES): the words for them instead (the log keeps the codes);
 * - no upload tags: the server echoes the name it was sent ("clip~rdj-3f2a9c1b0.mp4");
 * - on this computer, no "RenderIO" and no loopback address: the engine is "this computer's
 *   converter", which is what the window calls it. A path keeps its folders as they are: the
 *   app's own data folder is named RenderIO (~/.config/RenderIO/engine, %APPDATA%\RenderIO).
 */
import { errnoCodesInWords } from '../../../shared/fileProblemWords';
import { UPLOAD_TAG_IN_TEXT } from './phases/uploadTag';

const LOCAL_CONVERTER = "this computer's converter";
/** http://127.0.0.1:41234/files/upload, http://localhost:5000, http://[::1]:80 */
const LOOPBACK_URL =
  /https?:\/\/(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?(?:\/[^\s:;,)]*)?/g;

export function inPlainWords(message: string, where: { local: boolean }): string {
  let text = errnoCodesInWords(message.replace(UPLOAD_TAG_IN_TEXT, ''));
  if (where.local) {
    text = text
      .replace(
        /^Could not reach (https?:\/\/\S+?): /,
        `${capitalise(LOCAL_CONVERTER)} is not answering: `,
      )
      .replace(/^RenderIO(?! Desktop)\b(?![/\\])/, capitalise(LOCAL_CONVERTER))
      .replace(LOOPBACK_URL, LOCAL_CONVERTER)
      .replace(/(?<![/\\])\bRenderIO(?! Desktop)\b(?![/\\])/g, LOCAL_CONVERTER);
  }
  return text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
