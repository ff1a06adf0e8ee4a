export { addDays, localDateOf, localTimeToUtc } from './local-time';
