// The entry point of a utility process the Electron double forks: it gives the child the
// `process.parentPort` Electron's utility processes have (lib/utility/init.ts, parent-port.ts),
// then loads the real module through the ESM loader, as Electron does, with process.argv[1]
// set back to it. The port: an EventEmitter whose 'message' events carry `{ data, ports }`,
// postMessage to the parent, over Node's IPC channel with the 'advanced' (v8, structured clone)
// serialization. It keeps the process alive while it has 'message' listeners (start) and lets
// it end when it has none (pause), as Electron's does after Node's worker io.js; messages that
// come before it starts wait for it, as on a MessagePort.
// (Set up here, not with --import: before the main module runs, the IPC channel is not ready.)
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
process.argv.splice(1, 2, entry);

// A port that is not started keeps what arrives, as a MessagePort does, and hands it over once
// it starts: main's first message is not lost while the module is still loading.
const port = new EventEmitter();
const waiting = [];
let started = false;
port.postMessage = (message) => {
  if (process.connected) process.send(message);
};
port.start = () => {
  if (started) return;
  started = true;
  process.channel?.ref();
  queueMicrotask(() => {
    for (const data of waiting.splice(0)) port.emit('message', { data, ports: [] });
  });
};
port.pause = () => {
  started = false;
  process.channel?.unref();
};
process.on('message', (data) => {
  if (started) port.emit('message', { data, ports: [] });
  else waiting.push(data);
});
process.channel?.unref();
port.on('newListener', (name) => {
  if (name === 'message' && port.listenerCount('message') === 0) port.start();
});
port.on('removeListener', (name) => {
  if (name === 'message' && port.listenerCount('message') === 0) port.pause();
});
Object.defineProperty(process, 'parentPort', { value: port, enumerable: true, writable: false });

await import(pathToFileURL(entry).href);
