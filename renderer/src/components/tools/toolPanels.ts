/**
 * The Tools drawer's panels, one chunk loaded when the drawer first opens (ToolsMenu): the
 * first paint does not parse the preset editor, its FFmpeg argument rules and the rest.
 */
export { PresetEditor } from './PresetEditor';
export { ProfileManager } from './ProfileManager';
export { SettingsPanel } from './SettingsPanel';
export { WatchFolders } from './WatchFolders';
