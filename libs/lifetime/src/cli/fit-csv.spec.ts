import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simulateBgNbd } from '../bgnbd/simulate-bgnbd';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../../..');
const fitCsv = (file: string) =>
  run('node', ['-r', './infra/scripts/register-ts.js', 'libs/lifetime/src/cli/fit-csv.ts', file], {
    cwd: ROOT,
  });

describe('churn:fit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'churn-fit-'));

  it('should print the fitted parameters, the last line as JSON, for a CSV in any column order', async () => {
    const truth = { r: 0.8, alpha: 20, a: 0.5, b: 2 };
    const customers = simulateBgNbd(
      truth,
      Float64Array.from({ length: 5000 }, (_, i) => 200 + (i % 200)),
      9,
    );
    const rows = [...customers.frequency].map(
      (x, i) => `g${i},${customers.T[i]},${customers.recency[i]},${x}`,
    );
    const file = join(dir, 'customers.csv');
    writeFileSync(file, ['guest,T,recency,frequency', ...rows].join('\n'));
    const { stdout } = await fitCsv(file);
    const fit = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(Object.keys(fit)).toEqual(['r', 'alpha', 'a', 'b', 'logLikelihood']);
    expect(fit.r / truth.r).toBeGreaterThan(0.7);
    expect(fit.r / truth.r).toBeLessThan(1.3);
    expect(fit.alpha / truth.alpha).toBeGreaterThan(0.7);
    expect(fit.alpha / truth.alpha).toBeLessThan(1.3);
    expect(fit.logLikelihood).toBeLessThan(0);
  });

  it('should exit non-zero with the line number of a bad row', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'frequency,recency,T\n1,2,3\n2,9,3\n');
    await expect(fitCsv(file)).rejects.toMatchObject({
      code: 65,
      stderr: expect.stringContaining('line 3: recency must be between 0 and T'),
    });
  });
});
