import type { ServiceQualityDimension } from '@loyalty/contracts';
import { COMMENT_MAX_LENGTH, SCALES, type Department, type SurveyTemplate } from './templates';

/** A guest's answers once validated: only what the template asked, each within its scale. */
export interface ScoredAnswer {
  /** Absent when the recommend question was skipped: counted as a response, not in NPS. */
  nps?: number;
  csat?: number;
  quality: Partial<Record<ServiceQualityDimension, number>>;
  departments: Partial<Record<Department, number>>;
  comment?: string;
}

export interface AnswerError {
  question: string;
  reason: string;
}

export type AnswerValidation = { answer: ScoredAnswer } | { errors: AnswerError[] };

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * C0 and C1 controls but tab, line feed and carriage return. Postgres text cannot hold NUL, so a comment
 * with one would fail the answer on every retry; the others are no part of what a guest writes.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Checks answers against the template version the guest was invited with; every problem is named. */
export function validateAnswers(
  template: SurveyTemplate,
  answers: Record<string, unknown>,
): AnswerValidation {
  const errors: AnswerError[] = [];
  const answer: ScoredAnswer = { quality: {}, departments: {} };
  const asked = new Set(template.questions.map((q) => q.id));
  for (const question of Object.keys(answers)
    .filter((id) => !asked.has(id))
    .sort()) {
    errors.push({ question, reason: `is not a question of ${template.templateId} v${template.version}` });
  }
  for (const q of template.questions) {
    // Own keys only: a question id such as `constructor` must not read what every object inherits.
    const value = Object.hasOwn(answers, q.id) ? answers[q.id] : undefined;
    if (isBlank(value)) {
      if (q.required) errors.push({ question: q.id, reason: 'is required' });
      continue;
    }
    if (q.kind === 'text') {
      const text = typeof value === 'string' ? value.trim() : undefined;
      if (text === undefined || text.length > COMMENT_MAX_LENGTH)
        errors.push({ question: q.id, reason: `must be text of at most ${COMMENT_MAX_LENGTH} characters` });
      else if (CONTROL_CHARACTER.test(text))
        errors.push({
          question: q.id,
          reason: 'must not contain control characters other than tabs and line breaks',
        });
      else answer.comment = text;
      continue;
    }
    const { min, max } = SCALES[q.kind];
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      errors.push({ question: q.id, reason: `must be a whole number from ${min} to ${max}` });
      continue;
    }
    const score = value as number;
    if (q.kind === 'nps') answer.nps = score;
    else if (q.kind === 'csat') answer.csat = score;
    else if (q.kind === 'quality') answer.quality[q.id as ServiceQualityDimension] = score;
    else answer.departments[q.id as Department] = score;
  }
  return errors.length > 0 ? { errors } : { answer };
}
