// `npm run dev-token -- --sub alice --roles chain-admin,analyst --properties '*' --ttl 8h`
// Prints only the token on stdout, so it composes: `curl -H "Authorization: Bearer $(npm run -s dev-token -- ...)"`.
import 'reflect-metadata';
import { runDevTokenCommand } from './dev-token.command';

// This entry point is the one place here that reads the real process environment.
const result = runDevTokenCommand(process.argv.slice(2), process.env);
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
