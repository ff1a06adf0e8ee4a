import { parseArgs } from 'node:util';
import { AuthConfig, loadConfig } from '@loyalty/config';
import { ALL_PROPERTIES } from '../principal';
import { ROLES, isRole } from '../roles';
import { mintToken } from '../token/mint-token';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export const DEV_TOKEN_USAGE = `Mints a development JWT signed with AUTH_JWT_SECRET (or the dev default) and prints it.

Usage: npm run dev-token -- --sub <id> --roles <role,...> [--properties <id,...|*>] [--ttl 1h] [--name <name>]
                            [--issuer <iss>] [--audience <aud>]

  --sub         who the token is for (required)
  --roles       comma-separated, from: ${ROLES.join(', ')} (required)
  --properties  comma-separated property ids, or '*' for every property (default '*')
  --ttl         lifetime: seconds, or 15m, 8h, 7d, at most 30d (default 1h)
  --issuer      default AUTH_ISSUER;  --audience  default AUTH_AUDIENCE
`;

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const fail = (message: string): CommandResult => ({
  exitCode: 2,
  stdout: '',
  stderr: `dev-token: ${message}\n`,
});

function parseDevTokenArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      sub: { type: 'string' },
      roles: { type: 'string' },
      properties: { type: 'string', default: ALL_PROPERTIES },
      ttl: { type: 'string', default: '1h' },
      name: { type: 'string' },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}

/** The dev-token command without the process around it: arguments and environment in, output out. */
export function runDevTokenCommand(argv: string[], env: NodeJS.ProcessEnv): CommandResult {
  let values: ReturnType<typeof parseDevTokenArgs>;
  try {
    values = parseDevTokenArgs(argv);
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)}\n\n${DEV_TOKEN_USAGE}`);
  }
  if (values.help) return { exitCode: 0, stdout: DEV_TOKEN_USAGE, stderr: '' };
  if (values.sub === undefined || values.sub.trim() === '')
    return fail(`--sub is required\n\n${DEV_TOKEN_USAGE}`);
  if (values.roles === undefined) return fail(`--roles is required\n\n${DEV_TOKEN_USAGE}`);

  const roles = list(values.roles);
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0 || roles.length === 0) {
    return fail(`unknown roles: ${unknown.join(', ') || '(none given)'}; known roles: ${ROLES.join(', ')}`);
  }

  try {
    const config = loadConfig(AuthConfig, env);
    const token = mintToken(
      {
        sub: values.sub.trim(),
        roles: roles.filter(isRole),
        properties: list(values.properties),
        ...(values.name !== undefined && { name: values.name }),
      },
      config.AUTH_JWT_SECRET,
      values.ttl,
      { issuer: values.issuer ?? config.AUTH_ISSUER, audience: values.audience ?? config.AUTH_AUDIENCE },
    );
    // The services verify RS256 against the JWKS when it is set, so an HS256 dev token would bounce.
    const stderr = config.AUTH_JWKS_URL
      ? 'dev-token: warning: AUTH_JWKS_URL is set; services configured with it reject HS256 dev tokens\n'
      : '';
    return { exitCode: 0, stdout: `${token}\n`, stderr };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
