// Error messages and logs quote configuration values so a bad one can be found quickly; secrets must
// never be quoted. A variable is secret by its name, and any URL may carry a password in its userinfo.

const SECRET_NAME = /PASSWORD|SECRET|KEY|TOKEN/i;
// The password runs to the last '@' of the value's word: typed unencoded, it may hold '#', '/', '?' or '@'
// itself, and a mask that ends early would print the rest of it.
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):\S*@/gi;

export const MASK = '****';

/** True when the variable's name says it holds a secret (PASSWORD, SECRET, KEY or TOKEN in it). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replaces the password in every `scheme://user:password@host` inside `text` with the mask. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1:${MASK}@`);
}

/** The form of `value` that is safe to print for the variable `name`. */
export function displayValue(name: string, value: string): string {
  return isSecretName(name) ? MASK : maskUrlCredentials(value);
}
