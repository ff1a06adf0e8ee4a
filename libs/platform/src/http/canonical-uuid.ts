import { ParseUUIDPipe, type PipeTransform } from '@nestjs/common';
import { Transform } from 'class-transformer';

/**
 * A UUID is the same in either case, but Postgres hands uuids back lower-case and the services key maps,
 * text columns and AES-GCM associated data by the id as written: an upper-case id accepted as is would
 * miss the guest it names (an empty export, a decryption failure, a 500). So every id is lower-cased as it
 * enters, once, here.
 */
function lowerCased(value: unknown): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

const UUID = new ParseUUIDPipe();

/** A uuid path parameter: refused as `ParseUUIDPipe` refuses it, then lower-case. */
export const UUID_PARAM: PipeTransform<string, Promise<string>> = {
  transform: async (value, metadata) => lowerCased(await UUID.transform(value, metadata)) as string,
};

/**
 * A uuid field of a body or query DTO, lower-cased before `@IsUUID()` checks it (which accepts either
 * case); anything that is not a string is left for the validators to refuse.
 */
export const CanonicalUuid = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => lowerCased(value));
