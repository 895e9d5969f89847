/** The queue as the watch service sees it: add files, and know the files its jobs wrote. */
import type { QueueControls } from '../../../shared/jobs';
import type { WatchQueue } from './watchService';

export function watchQueueOf(queue: Pick<QueueControls, 'add' | 'snapshot'>): WatchQueue {
  return {
    add: (request) => queue.add(request),
    outputPaths: () => queue.snapshot().jobs.flatMap((j) => j.outputPaths),
  };
}
