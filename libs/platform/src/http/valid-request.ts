import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';

/** One reason a request was refused: the field's dotted path and what is wrong with it. */
export interface RequestIssue {
  readonly path: string;
  readonly reason: string;
}

function issuesOf(errors: readonly ValidationError[], parent = ''): RequestIssue[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    return [
      ...Object.values(error.constraints ?? {}).map((reason) => ({ path, reason })),
      ...issuesOf(error.children ?? [], path),
    ];
  });
}

/**
 * The strings of a body or query holding a NUL, by path (a key holding one names its parent). Postgres
 * text and jsonb cannot store a NUL, so a request carrying one would pass its DTO and fail at the write.
 */
function nulIssues(value: unknown, path: string): RequestIssue[] {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ path, reason: `${path || 'the value'} must not contain NUL` }] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key.includes('\u0000')
      ? [{ path, reason: `${path || 'the request'} must not have a key containing NUL` }]
      : nulIssues(item, path ? `${path}.${key}` : key),
  );
}

/** A 400 `VALIDATION_FAILED` listing the issues, as every refused request gets it. */
export function refusal(issues: readonly RequestIssue[]): BadRequestException {
  return new BadRequestException({
    code: 'VALIDATION_FAILED',
    message: `the request is invalid: ${issues.map((issue) => issue.reason).join('; ')}`,
    errors: issues,
  });
}

class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // What a custom decorator gives (the principal, a header) is no request field.
    if (metadata.type !== 'custom') {
      const withNul = nulIssues(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (withNul.length > 0) throw refusal(withNul);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Validates and converts a body or query to its DTO; a refusal is a 400
 * `{ code: 'VALIDATION_FAILED', message, errors: [{ path, reason }] }` (class-validator's reasons name
 * their field, so the message alone reads well), the shape of every service's
 * refusals (`{ code, message, ...details }`) and of ingress's per-item errors. Fields the DTO does not
 * declare are refused, so a misspelt one is not ignored, and so is a string holding a NUL.
 */
export const validRequest: ValidationPipe = new RequestValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => refusal(issuesOf(errors)),
});
