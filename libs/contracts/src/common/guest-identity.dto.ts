import { CountryCode, Email, Identifier, LanguageTag, Optional, Phone, Text } from './decorators';

/**
 * Who the guest is, as the property system knows them. Personal data: it appears only in upstream
 * events; profiles resolves it to an opaque guest id and every later event carries that id instead.
 */
export class GuestIdentityDto {
  /** The guest's profile id in the property or reservation system. */
  @Text(100)
  externalProfileRef: string;

  /** Given (first) name, when the system records one. */
  @Optional()
  @Text(100)
  givenName?: string;

  /** Family (last) name. */
  @Text(100)
  familyName: string;

  /** Email address, when the system records one. */
  @Optional()
  @Email()
  email?: string;

  /** E.164 phone number, e.g. `+31201234567`. */
  @Optional()
  @Phone()
  phone?: string;

  /** Loyalty number the guest quoted at booking or check-in, if any. */
  @Optional()
  @Identifier()
  loyaltyNumber?: string;

  /** ISO-3166 alpha-2 country of residence. */
  @Optional()
  @CountryCode()
  countryCode?: string;

  /** BCP-47 language the guest prefers, e.g. `nl-NL`. */
  @Optional()
  @LanguageTag()
  preferredLanguage?: string;
}
