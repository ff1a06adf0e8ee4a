export { addDays, localDateOf, localTimeToUtc } from './local-time';
export { withinMs } from './deadline';
export { isReadableInstant } from './instant';
