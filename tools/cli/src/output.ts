import type { Writable } from 'node:stream';

/** A stream the CLI writes lines to: stdout or stderr, often a pipe into `head`, `less` or `jq`. */
export type OutputStream = Pick<Writable, 'write' | 'on' | 'off' | 'writableNeedDrain'>;

export interface LineOutput {
  write(line: string): void;
  /**
   * Undefined while the stream takes more; else resolves once its reader has caught up, the stream is
   * closed, or the command is stopped, whichever comes first.
   */
  drained(): Promise<void> | undefined;
}

/**
 * Lines to `stream`. A reader that goes away (`| head`, `2>&1 | head`) fails every later write: the
 * first failure stops the command as Ctrl-C does, and what is written after it is dropped, where an
 * unhandled stream error would kill the process mid-replay.
 */
export function lineOutput(stream: OutputStream, stop: () => void, stopped: Promise<void>): LineOutput {
  let closed = false;
  stream.on('error', () => {
    closed = true;
    stop();
  });
  return {
    write: (line) => {
      if (!closed) stream.write(`${line}\n`);
    },
    drained: () => {
      if (closed || !stream.writableNeedDrain) return undefined;
      return new Promise<void>((resolve) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('close', done);
          stream.off('error', done);
          resolve();
        };
        stream.on('drain', done);
        stream.on('close', done);
        stream.on('error', done);
        void stopped.then(done);
      });
    },
  };
}
