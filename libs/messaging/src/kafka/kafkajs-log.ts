import { logLevel } from 'kafkajs';

/**
 * The level a kafkajs log entry is written at. kafkajs logs each protocol error a broker answers with
 * ("Response GroupCoordinator(key: 10, version: 2)") at ERROR and then throws it to its caller, which
 * retries it (a coordinator still loading, a leader moving, a topic another service has just created)
 * or fails with it, and a failure is logged where it lands. Such a line is a warning: at ERROR, every
 * service logged several errors on each start against a fresh broker that needed no one, and alerting
 * on errors would page for them.
 */
export function kafkaJsLogLevel(level: logLevel, message: string): 'error' | 'warn' {
  if (level > logLevel.ERROR) return 'warn';
  return isBrokerAnswer(message) || isConsumerCrashReport(message) ? 'warn' : 'error';
}

/**
 * A kafkajs line reporting that a consumer crashed, or that it restarts it. kafkajs writes both at ERROR,
 * the first before it knows whether the crash is one it restarts the consumer after (a coordinator still
 * loading on a fresh broker is); the client logs a crash kafkajs does not restart after as an error itself,
 * from the consumer's crash event, since that consumer reads nothing more.
 */
export function isConsumerCrashReport(message: string): boolean {
  return message.startsWith('Crash: ') || message.startsWith('Restarting the consumer');
}

/** A kafkajs line reporting a protocol error a broker answered with, which kafkajs hands to its caller. */
export function isBrokerAnswer(message: string): boolean {
  return message.startsWith('Response ');
}
