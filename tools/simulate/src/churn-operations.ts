import { staffToken } from './staff-token';

/**
 * Has the churn watch refit its models and scan every guest now, on the stays just sent: left to its
 * schedule, its first scan runs at its first poll, in the middle of the stays or before them.
 */
export async function refitAndScanNow(churnWatcherUrl: string): Promise<void> {
  const response = await fetch(`${churnWatcherUrl}/churn/operations/run-now`, {
    method: 'POST',
    headers: { authorization: `Bearer ${staffToken('service')}` },
  });
  if (!response.ok)
    throw new Error(`the churn watch's run-now answered ${response.status}: ${await response.text()}`);
}
