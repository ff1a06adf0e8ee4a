import { readFileSync } from 'node:fs';
import { fitBgNbd } from '../bgnbd/fit';
import { CsvInputError, readCustomersCsv } from './read-customers-csv';

const USAGE =
  'usage: npm run churn:fit -- <file.csv>   (header with frequency,recency,T; one row per customer)';

/** `npm run churn:fit -- file.csv`: fits a BG/NBD model and prints it, the last line as JSON. */
function main(args: string[]): number {
  const file = args.find((arg) => !arg.startsWith('-'));
  if (!file || args.includes('--help')) {
    console.error(USAGE);
    return file ? 0 : 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`cannot read ${file}: ${(error as Error).message}`);
    return 66;
  }
  try {
    const customers = readCustomersCsv(text);
    const fit = fitBgNbd(customers);
    const { r, alpha, a, b } = fit.parameters;
    console.log(`BG/NBD fit of ${fit.customers} customers (${fit.evaluations} likelihood evaluations)`);
    console.log(`r = ${r}\nalpha = ${alpha}\na = ${a}\nb = ${b}\nlog-likelihood = ${fit.logLikelihood}`);
    console.log(JSON.stringify({ r, alpha, a, b, logLikelihood: fit.logLikelihood }));
    return 0;
  } catch (error) {
    if (!(error instanceof CsvInputError)) throw error;
    console.error(`${file}: ${error.message}`);
    return 65;
  }
}

process.exitCode = main(process.argv.slice(2));
