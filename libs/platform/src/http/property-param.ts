import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { IDENTIFIER_REASON, isIdentifier } from '@loyalty/contracts';
import { refusal } from './valid-request';

/**
 * A property id path parameter: an identifier, as events name properties, else a 400 naming the
 * parameter. Anything else names no property the platform hears of: a calendar or settings stored under
 * "Grand Paris" would apply to nothing, and a NUL would fail in Postgres.
 */
export const PROPERTY_PARAM: PipeTransform<unknown, string> = {
  transform: (value: unknown, metadata: ArgumentMetadata) => {
    if (isIdentifier(value)) return value;
    const path = metadata.data ?? 'propertyId';
    throw refusal([{ path, reason: `${path} ${IDENTIFIER_REASON}` }]);
  },
};
