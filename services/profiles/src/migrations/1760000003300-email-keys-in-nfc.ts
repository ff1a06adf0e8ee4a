import type { MigrationInterface, QueryRunner } from 'typeorm';
import { normaliseEmail } from '../domain/normalise';
import { rekeyIdentities, type Rekeying } from './rekey-identities';

/**
 * Emails are now matched in Unicode NFC: the key of an email on file that was typed with decomposed accents
 * becomes the key of its NFC form, or the guest's next stay with that email would make a new guest. The
 * email on file is the normalised one its key was made from.
 */
export class EmailKeysInNfc1760000003300 implements MigrationInterface {
  name = 'EmailKeysInNfc1760000003300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, { emailsTypedToNfc });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await rekeyIdentities(queryRunner, {
      emailsInNfcToTyped: emailRekeying((onFile) => ({ from: normaliseEmail(onFile), to: onFile })),
    });
  }
}

/** Moves each guest's `email` identity row from the key of `from` to that of `to`, where the two differ. */
function emailRekeying(forms: (onFile: string) => { from: string; to: string }): Rekeying {
  return {
    fields: ['email'],
    // An email keyed as typed is moved only where that is not its NFC form, and the current way keys every
    // email in NFC: no profile merged into the guest holds such a key the current way.
    movesOf: (onFile, cipher) => {
      const { from, to } = forms(onFile.email as string);
      return [{ source: 'email', from: cipher.index('email', from), to: cipher.index('email', to) }];
    },
  };
}

/** Moves the key of each email on file from the email as it was typed to its NFC form. */
export const emailsTypedToNfc: Rekeying = emailRekeying((onFile) => ({
  from: onFile,
  to: normaliseEmail(onFile),
}));
