import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

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
 * Validates and converts a body or query to its DTO; a refusal is a 400
 * `{ code: 'VALIDATION_FAILED', message, errors: [{ path, reason }] }` (class-validator's reasons name
 * their field, so the message alone reads well), the shape of every service's
 * refusals (`{ code, message, ...details }`) and of ingress's per-item errors. Fields the DTO does not
 * declare are refused, so a misspelt one is not ignored.
 */
export const validRequest = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const issues = issuesOf(errors);
    return new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: `the request is invalid: ${issues.map((issue) => issue.reason).join('; ')}`,
      errors: issues,
    });
  },
});
