import type { EvidenceKind } from '../domain/identity-resolution';
import { normaliseEmail, normaliseName, normalisePhone, soundsLike } from '../domain/normalise';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher';

/** An identity block as upstream systems and staff give it. */
export interface IdentityInput {
  externalProfileRef?: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  phone?: string;
  loyaltyNumber?: string;
  dateOfBirth?: string;
}

/** One piece of evidence as stored in `guest_identities`: plain for ids, a blind index for personal data. */
export interface EvidenceKey {
  kind: EvidenceKind;
  source: string;
  reference: string;
}

/**
 * The evidence an identity offers, keyed as `guest_identities` stores it. `normalise` is how names are
 * normalised: a migration re-keying names gives the way earlier code did it.
 */
export function evidenceOf(
  identity: IdentityInput,
  propertyId: string | undefined,
  cipher: PersonalDataCipher,
  normalise: (name: string) => string = normaliseName,
): EvidenceKey[] {
  const keys: EvidenceKey[] = [];
  if (identity.loyaltyNumber) {
    keys.push({ kind: 'loyalty-number', source: 'loyalty', reference: identity.loyaltyNumber });
  }
  if (identity.externalProfileRef && propertyId) {
    keys.push({
      kind: 'external-profile',
      source: `pms:${propertyId}`,
      reference: identity.externalProfileRef,
    });
  }
  if (identity.email) {
    keys.push({
      kind: 'email',
      source: 'email',
      reference: cipher.index('email', normaliseEmail(identity.email)),
    });
  }
  const phone = identity.phone && normalisePhone(identity.phone);
  if (phone) keys.push({ kind: 'phone', source: 'phone', reference: cipher.index('phone', phone) });
  const family = identity.familyName ? normalise(identity.familyName) : '';
  if (family) {
    keys.push({ kind: 'family-name', source: 'family-name', reference: cipher.index('family-name', family) });
    const given = identity.givenName ? normalise(identity.givenName) : '';
    if (given && identity.dateOfBirth) {
      keys.push({
        kind: 'name-dob',
        source: 'name-dob',
        reference: cipher.index('name-dob', `${given} ${family} ${identity.dateOfBirth}`),
      });
    }
    if (given) {
      // Not looked up: too many guests share a name. Read for the candidates other evidence finds.
      keys.push({
        kind: 'full-name',
        source: 'full-name',
        reference: cipher.index('full-name', `${given} ${family}`),
      });
      keys.push({
        kind: 'similar-name',
        source: 'similar-name',
        reference: cipher.index(
          'similar-name',
          `${soundsLike(given, normalise)} ${soundsLike(family, normalise)}`,
        ),
      });
    }
  }
  return keys;
}

/**
 * The identity rows a change of personal data makes stale: the keys `before` held that `after` no longer
 * gives. A corrected email, phone or name must stop finding and matching the guest under the old value;
 * rows the guest holds from a profile merged into it are other keys, and stay.
 */
export function replacedKeys(before: EvidenceKey[], after: EvidenceKey[]): EvidenceKey[] {
  const kept = new Set(after.map((k) => `${k.source}|${k.reference}`));
  return before.filter((k) => !kept.has(`${k.source}|${k.reference}`));
}

/** The kind of evidence a stored identity row is. */
export function kindOfSource(source: string): EvidenceKind | undefined {
  if (source === 'loyalty') return 'loyalty-number';
  if (source.startsWith('pms:')) return 'external-profile';
  const kinds: EvidenceKind[] = ['email', 'phone', 'family-name', 'full-name', 'name-dob', 'similar-name'];
  return kinds.find((k) => k === source);
}
