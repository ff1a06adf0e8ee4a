import { createHmac, timingSafeEqual } from 'node:crypto';

// `<surveyId>.<expiry seconds>.<HMAC-SHA256 of both>`, base64url. The signature makes a token
// unforgeable; single use is the invitation row's business (it is marked answered).

export interface SurveyTokenClaims {
  surveyId: string;
  expiresAt: Date;
}

function signature(body: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function signSurveyToken(claims: SurveyTokenClaims, secret: string): string {
  const body = `${claims.surveyId}.${Math.floor(claims.expiresAt.getTime() / 1000)}`;
  return `${body}.${signature(body, secret).toString('base64url')}`;
}

/** The claims of a token this service signed, or null for anything else (expiry is checked apart). */
export function readSurveyToken(token: string, secret: string): SurveyTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !/^\d+$/.test(parts[1])) return null;
  const body = `${parts[0]}.${parts[1]}`;
  const given = Buffer.from(parts[2], 'base64url');
  const expected = signature(body, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { surveyId: parts[0], expiresAt: new Date(Number(parts[1]) * 1000) };
}
