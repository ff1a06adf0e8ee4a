/**
 * What the services need to take a simulated chain's stays as they come: surveys sends its invitations
 * in each property's local daytime only, and a simulated run, whose properties span Tokyo to Chicago,
 * would otherwise have some of them answered and others not, depending on the hour it runs at. And it
 * skips stays recorded long after check-out, while a simulation back-fills a year of stays that a live
 * chain would have surveyed as each checked out. `infra/start` sets the same for the main command.
 */
export const SIMULATION_SERVICE_ENV = {
  SURVEYS_SEND_FIRST_HOUR: '0',
  SURVEYS_SEND_LAST_HOUR: '23',
  SURVEYS_MAX_DAYS_AFTER_CHECKOUT: '0',
} as const;
