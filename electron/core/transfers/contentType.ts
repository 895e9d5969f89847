/** The Content-Type announced for an uploaded file's part, from its extension (shared table). */
export { contentTypeForName as contentTypeFor } from '../../../shared/mediaTypes';
