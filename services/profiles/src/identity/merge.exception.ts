import { HttpStatus } from '@nestjs/common';

export const PROFILES_ERROR_STATUS = {
  GUEST_NOT_FOUND: HttpStatus.NOT_FOUND,
  GUEST_ERASED: HttpStatus.CONFLICT,
  GUEST_ALREADY_MERGED: HttpStatus.CONFLICT,
  NOT_SAME_PERSON_RECORDED: HttpStatus.CONFLICT,
  SAME_GUEST: HttpStatus.BAD_REQUEST,
  SUGGESTION_NOT_FOUND: HttpStatus.NOT_FOUND,
  SUGGESTION_DECIDED: HttpStatus.CONFLICT,
  INVALID_PREFERENCES: HttpStatus.BAD_REQUEST,
  INVALID_REQUEST: HttpStatus.BAD_REQUEST,
  ACCESS_REASON_REQUIRED: HttpStatus.BAD_REQUEST,
  PRECONDITION_FAILED: HttpStatus.PRECONDITION_FAILED,
  VERIFIED_VALUE_ON_FILE: HttpStatus.CONFLICT,
} as const;

export type ProfilesErrorCode = keyof typeof PROFILES_ERROR_STATUS;

/** A refusal of the profiles domain with a code; mapped to an HTTP status only at the edge. */
export class ProfilesException extends Error {
  /** @param details fields the answer carries beside the code, for the client to act on. */
  constructor(
    readonly code: ProfilesErrorCode,
    message: string,
    readonly details: Record<string, string | string[]> = {},
  ) {
    super(message);
  }
}
