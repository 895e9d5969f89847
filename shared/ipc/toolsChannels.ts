/**
 * Channel names of the tools (issue 13): the preset editor, key profiles, the app's settings
 * and watch folders. Kept apart from channels.ts so the groups are added in one line there.
 */
export const toolsChannels = {
  presetEditor: {
    create: 'preset-editor:create',
    update: 'preset-editor:update',
    remove: 'preset-editor:remove',
    duplicate: 'preset-editor:duplicate',
    importFile: 'preset-editor:import-file',
    exportFile: 'preset-editor:export-file',
  },
  profiles: {
    add: 'profiles:add',
    update: 'profiles:update',
    remove: 'profiles:remove',
    setWeakStorage: 'profiles:set-weak-storage',
  },
  appSettings: {
    get: 'app-settings:get',
    update: 'app-settings:update',
  },
  watch: {
    list: 'watch:list',
    pickFolder: 'watch:pick-folder',
    add: 'watch:add',
    setPaused: 'watch:set-paused',
    remove: 'watch:remove',
  },
} as const;
