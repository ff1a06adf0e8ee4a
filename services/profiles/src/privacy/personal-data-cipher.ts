import { Injectable, Logger } from '@nestjs/common';
import { ProfilesConfig } from '../config/profiles.config';
import {
  blindIndex,
  decrypt,
  encrypt,
  generateDataKey,
  unwrapDataKey,
  wrapDataKey,
} from '../domain/field-crypto';

/** The personal fields profiles keeps, each encrypted with the guest's data key. */
export const PERSONAL_FIELDS = [
  'givenName',
  'familyName',
  'email',
  'phone',
  'dateOfBirth',
  'address',
] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The keys from configuration, applied: data keys wrapped by the master key, and blind indexes. */
@Injectable()
export class PersonalDataCipher {
  private readonly masterKey: Buffer;
  private readonly indexKey: Buffer;

  constructor(config: ProfilesConfig) {
    this.masterKey = Buffer.from(config.PROFILES_MASTER_KEY, 'base64');
    this.indexKey = Buffer.from(config.PROFILES_BLIND_INDEX_KEY, 'base64');
    if (config.usesDevMasterKey) {
      new Logger(PersonalDataCipher.name).warn(
        'PROFILES_MASTER_KEY is not set: personal data is encrypted with the development master key',
      );
    }
  }

  newDataKey(guestId: string): { key: Buffer; wrapped: string } {
    const key = generateDataKey();
    return { key, wrapped: wrapDataKey(this.masterKey, key, guestId) };
  }

  unwrap(guestId: string, wrapped: string): Buffer {
    return unwrapDataKey(this.masterKey, wrapped, guestId);
  }

  seal(key: Buffer, guestId: string, field: string, value: string): string {
    return encrypt(key, value, `${guestId}:${field}`);
  }

  open(key: Buffer, guestId: string, field: string, ciphertext: string): string {
    return decrypt(key, ciphertext, `${guestId}:${field}`);
  }

  index(kind: string, normalised: string): string {
    return blindIndex(this.indexKey, kind, normalised);
  }
}
