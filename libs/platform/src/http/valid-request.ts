import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { unstorableIn } from '@loyalty/contracts';

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
 * The strings of a body or query holding what Postgres cannot store (`unstorableIn`: a NUL, an unpaired
 * surrogate), by path (a key holding one names its parent): a request carrying one would pass its DTO and
 * fail, or be changed, at the write.
 */
function unstorableIssues(value: unknown, path: string): RequestIssue[] {
  if (typeof value === 'string') {
    const unstorable = unstorableIn(value);
    return unstorable ? [{ path, reason: `${path || 'the value'} must not contain ${unstorable}` }] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const unstorable = unstorableIn(key);
    return unstorable
      ? [{ path, reason: `${path || 'the request'} must not have a key containing ${unstorable}` }]
      : unstorableIssues(item, path ? `${path}.${key}` : key);
  });
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
      const unstorable = unstorableIssues(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (unstorable.length > 0) throw refusal(unstorable);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Validates and converts a body or query to its DTO; a refusal is a 400
 * `{ code: 'VALIDATION_FAILED', message, errors: [{ path, reason }] }` (class-validator's reasons name
 * their field, so the message alone reads well), the shape of every service's
 * refusals (`{ code, message, ...details }`) and of ingress's per-item errors. Fields the DTO does not
 * declare are refused, so a misspelt one is not ignored, and so is a string holding a NUL or an unpaired
 * surrogate.
 */
export const validRequest: ValidationPipe = new RequestValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => refusal(issuesOf(errors)),
});
