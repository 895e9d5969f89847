/**
 * Prints outputFolderProblem(argv[2]) as JSON: run inside a mount namespace where that folder
 * is bound read-only (tests/unit/electron/core/files/outputFolderCheck.test.ts), so the check
 * meets the kernel's own EROFS.
 */
import { outputFolderProblem } from '../../electron/core/files/outputFolderCheck';

process.stdout.write(`${JSON.stringify(await outputFolderProblem(process.argv[2] ?? ''))}\n`);
