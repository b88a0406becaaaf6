/**
 * Platform seam: what the synchronous compiler (vectorize/compile-sync.ts) needs to run asc
 * on a worker thread and block on it: Node's worker threads, and the files that locate asc.
 * The browser twin (compiler-thread.browser.ts) refuses: a window's main thread may never
 * block on a compile; browsers compile asynchronously (compiler/toolchain/compiler-worker.browser.ts).
 */
export { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
export { createRequire } from 'node:module';
export { pathToFileURL } from 'node:url';
export { dirname, join } from 'node:path';
