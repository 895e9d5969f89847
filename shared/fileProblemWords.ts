/**
 * What a file-system error code means, in the words a person reads. The code itself (ENOENT,
 * EACCES, ...) stays on the error for the log; messages shown in the window carry these words
 * instead (issue #11: no errno codes in what a person reads).
 */

const WORDS: Record<string, string> = {
  ENOENT: 'it is not there any more',
  EACCES: 'this computer does not allow it (permission denied)',
  EPERM: 'this computer does not allow it (permission denied)',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOTEMPTY: 'the folder is not empty',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large for this disk',
  EIO: 'the disk reported a read or write error',
  EBUSY: 'another program is using it',
  ETXTBSY: 'another program is using it',
  EMFILE: 'too many files are open at once',
  ENFILE: 'too many files are open at once',
  ENAMETOOLONG: 'the file name is too long for this disk',
  ELOOP: 'it is a loop of symbolic links',
  EXDEV: 'it is on another disk',
  ENXIO: 'the device is not available',
  ENODEV: 'the device is not available',
  EINVAL: 'the name or request is not valid here',
  ESTALE: 'the network drive lost track of it',
  EAGAIN: 'it is busy; try again',
  ECANCELED: 'it was cancelled',
};

/** Words for a file-system error code; `fallback` (default "it failed") when the code is unknown or absent. */
export function fileProblemWords(code: string | undefined, fallback = 'it failed'): string {
  return (code && WORDS[code]) || fallback;
}

const CODES = Object.keys(WORDS).join('|');
const CODE_IN_PARENS = new RegExp(` ?\\((${CODES})\\)`, 'g');
const BARE_CODE = new RegExp(`\\b(${CODES})\\b:? ?`, 'g');
/**
 * Node's own message: "ENOENT: no such file or directory, open '/x/a.mp4'", with a second
 * path after " -> " for a rename or a link. A path ends at a quote that ends the text or is
 * followed by a space or a stop, so a name with an apostrophe in it ("it's.mp4") stays whole.
 */
const QUOTED = String.raw`'(.+?)'(?=$|\s|[.,;:)])`;
const NODE_MESSAGE = new RegExp(
  String.raw`\b(${CODES}): [^,'\n]*, [a-z_]+ ${QUOTED}(?: -> ${QUOTED})?`,
  'g',
);

/**
 * `text` with each errno code it names put in words: "Cannot read a.mp4 (ENOENT)" becomes
 * "Cannot read a.mp4: it is not there any more"; Node's "ENOENT: no such file or directory,
 * open '/x/a.mp4'" becomes "it is not there any more: /x/a.mp4", without the system call. A
 * name too long is not repeated: it is the problem, and it fills the line.
 */
export function errnoCodesInWords(text: string): string {
  return text
    .replace(NODE_MESSAGE, (_m, code: string, path: string) =>
      code === 'ENAMETOOLONG' ? fileProblemWords(code) : `${fileProblemWords(code)}: ${path}`,
    )
    .replace(CODE_IN_PARENS, (_m, code: string) => `: ${fileProblemWords(code)}`)
    .replace(BARE_CODE, (m, code: string, offset: number, whole: string) =>
      // "ENOENT: no such file" already says it in words.
      whole.slice(offset + m.length).length > 0 && m.includes(':') ? '' : fileProblemWords(code),
    );
}
