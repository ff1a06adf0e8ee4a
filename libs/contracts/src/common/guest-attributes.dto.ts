import { Bool, CountryCode, Identifier, LanguageTag, Optional } from './decorators';

/**
 * Profile attributes other services may act on. No names, emails or phone numbers: those stay in
 * profiles, and consumers that need to contact a guest ask profiles at send time.
 */
export class GuestAttributesDto {
  /** The loyalty number printed on the guest's card. */
  @Optional()
  @Identifier()
  loyaltyNumber?: string;

  /** The property the guest is attached to (where they enrolled or stay most). */
  @Optional()
  @Identifier()
  homePropertyId?: string;

  /** ISO-3166 alpha-2 country of residence. */
  @Optional()
  @CountryCode()
  countryCode?: string;

  /** BCP-47 language for communication, e.g. `de-DE`. */
  @Optional()
  @LanguageTag()
  preferredLanguage?: string;

  /** Whether the guest agreed to marketing messages (surveys and service messages do not need it). */
  @Optional()
  @Bool()
  marketingConsent?: boolean;

  /** Whether the guest agrees to post-stay surveys; absent means never asked, which allows them. */
  @Optional()
  @Bool()
  surveysConsent?: boolean;

  /**
   * Whether the guest allows profiling (scores, segments, lifetime models); false is their objection (GDPR
   * Art. 21): no service scores them. Absent means never asked, which allows it.
   */
  @Optional()
  @Bool()
  profilingConsent?: boolean;

  /** Whether profiles holds an email address for the guest (the address itself stays in profiles). */
  @Optional()
  @Bool()
  emailOnFile?: boolean;

  /** Whether profiles holds a phone number for the guest (the number itself stays in profiles). */
  @Optional()
  @Bool()
  phoneOnFile?: boolean;
}
