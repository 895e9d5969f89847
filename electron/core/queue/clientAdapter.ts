/** Adapts the RenderIO client (electron/core/client) to the queue's QueueClient port. */
import type { RenderioClient } from '../client/client';
import type { QueueClient } from './ports';

export function queueClientOf(client: RenderioClient): QueueClient {
  return {
    uploadFile: (path, o) =>
      client.uploadFile(path, { signal: o.signal, onProgress: o.onProgress, fileName: o.fileName }),
    getFile: (id, o) => client.getFile(id, o),
    listFiles: (query, o) => client.listFiles({ ...query, signal: o?.signal }),
    runCommand: (request, o) => client.runCommand(request, o),
    runChained: (request, o) => client.runChained(request, o),
    executePreset: (id, request, o) => client.executePreset(id, request, o),
    getCommand: (id, o) => client.getCommand(id, o),
    listCommands: (query, o) => client.listCommands({ ...query, signal: o?.signal }),
    deleteCommandFiles: (id, o) => client.deleteCommandFiles(id, o),
    deleteFile: (id, o) => client.deleteFile(id, o),
    download: async (request) => {
      const result = await client.download(request);
      return { path: result.skipped ? null : result.path, skipped: result.skipped };
    },
  };
}
