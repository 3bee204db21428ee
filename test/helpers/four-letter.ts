import { connect } from 'node:net';

/** Sends a four-letter word and resolves with the whole answer (the server closes after it). */
export function fourLetterWord(port: number, word: string, host = '127.0.0.1', timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect(port, host, () => sock.write(word));
    sock.setTimeout(timeoutMs, () => {
      sock.destroy();
      reject(new Error(`four-letter word ${word} to ${host}:${port} timed out`));
    });
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
