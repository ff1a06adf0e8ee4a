/** The ingress's answer to a batch it took: one result per item, a code on each it rejected. */
interface BatchReply {
  results?: { status: string; code?: string }[];
}

/**
 * Sends one batch to the HTTP ingress the way an upstream system should: on 429 it waits out the
 * rate limit, on 503 (Kafka did not confirm the events) it sends the batch again after Retry-After, and
 * when the connection drops before an answer (an idle keep-alive socket the server
 * closed just as the request went out) it sends the batch again. Resending is safe because the
 * ingress recognises an event id it already has and does not publish it twice.
 *
 * Returns the code of each item the ingress rejected: it answers 200 for the batch and never puts those
 * items on Kafka, so no dead-letter topic will show them.
 */
export async function postBatch(
  ingressUrl: string,
  apiKey: string,
  events: unknown[],
  { connectionAttempts = 5, unconfirmedAttempts = 12, retryDelayMs = 1_000 } = {},
): Promise<string[]> {
  const body = JSON.stringify({ events });
  let dropped = 0;
  let unconfirmed = 0;
  for (;;) {
    const response = await fetch(`${ingressUrl}/v1/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body,
    }).catch((error: unknown) => {
      if (++dropped >= connectionAttempts) throw error;
      return undefined;
    });
    if (response?.ok) {
      const { results = [] } = (await response.json()) as BatchReply;
      return results.filter((r) => r.status === 'rejected').map((r) => r.code ?? 'unknown');
    }
    const retryable =
      response?.status === 429 || (response?.status === 503 && ++unconfirmed < unconfirmedAttempts);
    if (response && !retryable) {
      throw new Error(`ingress answered ${response.status}: ${await response.text()}`);
    }
    const retryAfterSeconds = Number(response?.headers.get('retry-after'));
    await new Promise((resolve) =>
      setTimeout(resolve, retryAfterSeconds > 0 ? retryAfterSeconds * 1_000 : retryDelayMs),
    );
  }
}
