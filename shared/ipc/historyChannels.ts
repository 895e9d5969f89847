/**
 * Channel names of the history of finished jobs (issue 12). Kept apart from channels.ts so
 * the group is added there in one line.
 */
export const historyChannels = {
  history: {
    list: 'history:list',
    remove: 'history:remove',
    clear: 'history:clear',
    open: 'history:open',
    reveal: 'history:reveal',
  },
} as const;
