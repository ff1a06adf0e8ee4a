/**
 * Node's time-zone data knowing `zone` (as UTC) where Postgres's does not, until the returned spy is
 * restored: they come from different releases, and the contracts check a stay's zone against Node's.
 */
export function zoneOnlyNodeKnows(zone: string): jest.SpiedFunction<typeof Intl.DateTimeFormat> {
  const DateTimeFormat = Intl.DateTimeFormat;
  return jest
    .spyOn(Intl, 'DateTimeFormat')
    .mockImplementation(
      (locales?: Intl.LocalesArgument, options?: Intl.DateTimeFormatOptions) =>
        new DateTimeFormat(locales, options?.timeZone === zone ? { ...options, timeZone: 'UTC' } : options),
    );
}
