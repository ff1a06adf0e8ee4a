/** Stops testcontainers started by the global setup; local infrastructure stays up for the next run. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all((globalThis.__TEST_CONTAINERS__ ?? []).map((container) => container.stop()));
}
