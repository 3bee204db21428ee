/**
 * Asks one server whether it serves read-write: the `isro` four-letter word answers
 * `rw` or `ro` (wire-protocol.md §16, §13.5). Used by a client connected to a
 * read-only server to find its way back to the quorum (zab.md §6).
 */
import { Socket } from 'node:net';
import type { ClientClock, HostPort, SocketFactory } from './types.js';

export function probeReadWrite(target: HostPort, factory: SocketFactory, clock: ClientClock, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = '';
    let done = false;
    const socket = factory(target);
    const finish = (rw: boolean) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      socket.destroy();
      resolve(rw);
    };
    const timer = clock.setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(answer.trim() === 'rw'));
    socket.on('end', () => finish(answer.trim() === 'rw'));
    const send = () => socket.write('isro');
    if (socket instanceof Socket && socket.connecting) socket.once('connect', send);
    else send();
  });
}
