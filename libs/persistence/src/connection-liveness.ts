import type { ClientConfig } from 'pg';

/**
 * The longest a transaction may sit between two statements before the server ends its session. It
 * must stay above the longest such wait the services have on purpose: ingress awaits the broker's
 * acknowledgement inside its transaction (INGRESS_PUBLISH_TIMEOUT_MS, 10 s), and the churn watch fits
 * its model between statements (about 15 s per million guests on the 2-core development machine, several
 * times that while its niceness leaves it little CPU). A session of a server that is gone ends by the
 * keepalives well before this, so it can be generous. A `?idle_in_transaction_session_timeout=<ms>` on
 * DATABASE_URL overrides it: node-postgres lets the URL's parameters win over these.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 300_000;

/**
 * Settings for every connection to Postgres, so that neither end waits for ever on a peer that is gone.
 * A process that dies closes its sockets, but a server that loses power or its network does not: its
 * sessions, with their row locks, uncommitted inbox rows and the relay's advisory lock, would otherwise
 * live on for the kernel's default of about two hours while the other replicas wait on them.
 */
export const CONNECTION_LIVENESS = {
  // Our side: a query never waits for ever on a dead server (Node probes 10 times, 1 s apart).
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  // The server's side: a silent client's session ends after about 25 s, rolling back and unlocking.
  options: '-c tcp_keepalives_idle=10 -c tcp_keepalives_interval=5 -c tcp_keepalives_count=3',
  // A client that still answers probes but is stuck (frozen, or a leaked transaction) is ended too.
  idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
} as const satisfies ClientConfig;
