import { SUPPORTED_YEARS } from '@loyalty/time';
import { daysBetween, isIanaTimeZone, isLocalDate, isUtcInstant } from '../time-formats';
import { defineConstraint } from './define-constraint';

const YEARS = `the years ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`;

/** A date in the property's calendar, `YYYY-MM-DD`; always paired with the property's `timeZone`. */
export const LocalDate = defineConstraint<[]>({
  name: 'localDate',
  test: (value) => isLocalDate(value),
  reason: () => `must be a YYYY-MM-DD date in ${YEARS}`,
  schema: () => ({ type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});

/** A point in time, ISO-8601 UTC. */
export const Instant = defineConstraint<[]>({
  name: 'utcInstant',
  test: (value) => isUtcInstant(value),
  reason: () => `must be an ISO-8601 UTC instant (YYYY-MM-DDTHH:mm:ss[.sss]Z) in ${YEARS}`,
  schema: () => ({
    type: 'string',
    format: 'date-time',
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$',
  }),
});

export const TimeZone = defineConstraint<[]>({
  name: 'ianaTimeZone',
  test: (value) => isIanaTimeZone(value),
  reason: () => 'must be an IANA time zone (e.g. Europe/Amsterdam)',
  schema: () => ({ type: 'string', examples: ['Europe/Amsterdam'] }),
});

/**
 * Later than another field of the same kind. When either value is malformed the rule passes and the
 * field's own format rule reports it, so one mistake gives one issue.
 */
export const LaterThan = defineConstraint({
  name: 'laterThan',
  test: (value, [field, kind]: [string, 'date' | 'instant'], object) => {
    const other = (object as Record<string, unknown>)[field];
    if (kind === 'date') return !isLocalDate(value) || !isLocalDate(other) || value > other;
    return !isUtcInstant(value) || !isUtcInstant(other) || Date.parse(value) > Date.parse(other);
  },
  reason: (field) => `must be after ${field}`,
  schema: (field) => ({ $comment: `later than ${field}` }),
});

/** The number of nights equals the days from `arrival` to `departure`. */
export const NightsOfStay = defineConstraint<[]>({
  name: 'nightsOfStay',
  test: (value, _params, object) => {
    const { arrival, departure } = object as Record<string, unknown>;
    if (!Number.isSafeInteger(value) || !isLocalDate(arrival) || !isLocalDate(departure)) return true;
    return value === daysBetween(arrival, departure);
  },
  reason: () => 'must equal the nights from arrival to departure',
  schema: () => ({ $comment: 'equals the nights from arrival to departure' }),
});
