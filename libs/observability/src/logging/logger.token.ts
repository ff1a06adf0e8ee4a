/** Injection token of the app's pino `Logger` instance. */
export const LOGGER = Symbol('loyalty:logger');
