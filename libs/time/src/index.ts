export { addDays, localDateOf, localTimeToUtc } from './local-time';
export { withinMs } from './deadline';
export { isReadableInstant, isSupportedYear, SUPPORTED_YEARS } from './instant';
