import type { Connection } from './connection';
import type { Paint } from './lib/colour';

/** What every command gets from main: where to connect, where to write, and how to colour. */
export interface CommandContext {
  connection: Connection;
  paint: Paint;
  out(line: string): void;
  err(line: string): void;
  /**
   * Undefined while stdout takes more; else resolves once it does. A command that prints without end
   * waits on it, so a slow reader (`| less`) holds back the scan instead of the heap filling up.
   */
  outDrained(): Promise<void> | undefined;
  /** Resolves on Ctrl-C / SIGTERM, for commands that run until stopped. */
  stopped: Promise<void>;
}
