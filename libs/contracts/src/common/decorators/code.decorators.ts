import { isEmail, isISO31661Alpha2, isISO4217CurrencyCode } from 'class-validator';
import { defineConstraint } from './define-constraint';

const E164 = /^\+[1-9]\d{6,14}$/;

// Codes ISO 4217 added after the list class-validator checks against was last updated: the Caribbean
// guilder (Curaçao, Sint Maarten) since 2025-03-31 and the Zimbabwe Gold since 2024.
const ISO_4217_NEWER = new Set(['XCG', 'ZWG']);

export const CurrencyCode = defineConstraint<[]>({
  name: 'currencyCode',
  test: (value) =>
    typeof value === 'string' &&
    /^[A-Z]{3}$/.test(value) &&
    (isISO4217CurrencyCode(value) || ISO_4217_NEWER.has(value)),
  reason: () => 'must be an ISO-4217 currency code (e.g. EUR)',
  schema: () => ({ type: 'string', pattern: '^[A-Z]{3}$' }),
});

/**
 * Money in the currency of another field of the same object, so amounts can be added up. When either
 * currency is missing or malformed the rule passes and the field's own rules report it.
 */
export const SameCurrencyAs = defineConstraint({
  name: 'sameCurrencyAs',
  test: (value, [field]: [string], object) => {
    const currency = (money: unknown) =>
      typeof money === 'object' && money !== null ? (money as { currency?: unknown }).currency : undefined;
    const [mine, theirs] = [currency(value), currency((object as Record<string, unknown>)[field])];
    return typeof mine !== 'string' || typeof theirs !== 'string' || mine === theirs;
  },
  reason: (field) => `must be in the currency of ${field}`,
  schema: (field) => ({ $comment: `in the currency of ${field}` }),
});

export const CountryCode = defineConstraint<[]>({
  name: 'countryCode',
  test: (value) => typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isISO31661Alpha2(value),
  reason: () => 'must be an ISO-3166 alpha-2 country code (e.g. NL)',
  schema: () => ({ type: 'string', pattern: '^[A-Z]{2}$' }),
});

// Language tags repeat a lot (a handful per chain); remember the verdicts, bounded like time zones.
const checkedLanguages = new Map<string, boolean>();

function isLanguageTag(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 35) return false;
  let valid = checkedLanguages.get(value);
  if (valid === undefined) {
    try {
      valid = Intl.getCanonicalLocales(value).length === 1;
    } catch {
      valid = false;
    }
    if (checkedLanguages.size < 1000) checkedLanguages.set(value, valid);
  }
  return valid;
}

export const LanguageTag = defineConstraint<[]>({
  name: 'languageTag',
  test: (value) => isLanguageTag(value),
  reason: () => 'must be a BCP-47 language tag (e.g. nl-NL)',
  schema: () => ({ type: 'string', maxLength: 35 }),
});

export const Email = defineConstraint<[]>({
  name: 'email',
  test: (value) => typeof value === 'string' && value.length <= 254 && isEmail(value),
  reason: () => 'must be an email address',
  schema: () => ({ type: 'string', format: 'email', maxLength: 254 }),
});

export const Phone = defineConstraint<[]>({
  name: 'e164Phone',
  test: (value) => typeof value === 'string' && E164.test(value),
  reason: () => 'must be an E.164 phone number (e.g. +31201234567)',
  schema: () => ({ type: 'string', pattern: E164.source }),
});
