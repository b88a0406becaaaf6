/**
 * Platform seam, browser side of compiler-thread.node.ts: a synchronous compile would block
 * the page, so its first step (opening a channel to the compiler thread) throws a TargetError
 * that says what to do instead. The rest is never reached.
 */
import { TargetError } from '../util/errors.js';

function refuse(): never {
  throw new TargetError(
    'E_TARGET_COMPILE',
    'a browser\'s main thread cannot compile a kernel synchronously: await the kernel\'s `ready` promise ' +
      '(it compiles in a Web Worker) before the first call, or use callAsync',
  );
}

/** Refuses (see the file header). */
export class MessageChannel {
  readonly port1: MessagePort;
  readonly port2: MessagePort;
  constructor() {
    refuse();
  }
}

export type MessagePort = globalThis.MessagePort;

/** Never reached: MessageChannel refused first. */
export const receiveMessageOnPort = refuse;
export const Worker = refuse;
export const createRequire = (_from: string | URL): ((id: string) => never) => () => refuse();
export const pathToFileURL = refuse;
export const dirname = refuse;
export const join = refuse;
