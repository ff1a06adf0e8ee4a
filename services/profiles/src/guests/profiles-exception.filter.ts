import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { PROFILES_ERROR_STATUS, ProfilesException } from '../identity/merge.exception';

/** Maps domain refusals to HTTP at the edge: `{ statusCode, code, message }` and the refusal's details. */
@Catch(ProfilesException)
export class ProfilesExceptionFilter implements ExceptionFilter {
  catch(exception: ProfilesException, host: ArgumentsHost): void {
    const statusCode = PROFILES_ERROR_STATUS[exception.code];
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(statusCode)
      .json({
        statusCode,
        code: exception.code,
        message: exception.message,
        ...exception.details,
      });
  }
}
