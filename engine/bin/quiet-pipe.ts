/**
 * Stdio plumbing shared by the command-line entry points: a reader that went away
 * (`zk-cli ls -R / | head`, `zk-lab events --follow | head`) is not an error. Stop quietly,
 * as shell tools do, instead of dying on an unhandled EPIPE with a stack trace.
 */
export function exitQuietlyOnClosedPipe(...streams: NodeJS.WriteStream[]): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
}
