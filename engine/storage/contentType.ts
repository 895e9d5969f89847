/** Content types by extension for downloads (the probe's mime type wins when known). */
export { contentTypeForName as contentTypeFor } from '../../shared/mediaTypes';
