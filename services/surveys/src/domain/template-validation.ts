import { SERVICE_QUALITY_DIMENSIONS } from '@loyalty/contracts';
import { DEPARTMENTS, FALLBACK_LANGUAGE, QUESTION_KINDS, type Question } from './templates';

const ID = /^[a-z][a-z0-9-]{0,39}$/;
const SINGLE_KINDS = new Set(['nps', 'csat', 'text']);

/** The longest a question may be in any language: guests read it on a phone, one question at a time. */
export const QUESTION_TEXT_MAX_LENGTH = 400;

/** Whether a question's text in one language is one a guest can be shown. */
export function isQuestionText(text: unknown): text is string {
  return typeof text === 'string' && text.trim().length > 0 && text.length <= QUESTION_TEXT_MAX_LENGTH;
}

/** What is wrong with a template's questions, one line per problem naming the question. */
export function templateProblems(questions: Question[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const kinds = new Map<string, number>();
  for (const [index, q] of questions.entries()) {
    const name = `questions[${index}] (${q.id})`;
    if (!ID.test(q.id)) problems.push(`${name}: id must be lower-case letters, digits and '-'`);
    if (seen.has(q.id)) problems.push(`${name}: id is used twice`);
    seen.add(q.id);
    if (!QUESTION_KINDS.includes(q.kind))
      problems.push(`${name}: kind must be one of ${QUESTION_KINDS.join(', ')}`);
    kinds.set(q.kind, (kinds.get(q.kind) ?? 0) + 1);
    if (q.kind === 'quality' && !(SERVICE_QUALITY_DIMENSIONS as readonly string[]).includes(q.id))
      problems.push(
        `${name}: a quality question's id must be one of ${SERVICE_QUALITY_DIMENSIONS.join(', ')}`,
      );
    if (q.kind === 'department' && !(DEPARTMENTS as readonly string[]).includes(q.id))
      problems.push(`${name}: a department question's id must be one of ${DEPARTMENTS.join(', ')}`);
    // The texts come from a request body: any JSON value may stand where a string is declared.
    const texts: Record<string, unknown> = q.text ?? {};
    for (const [language, text] of Object.entries(texts))
      if (!isQuestionText(text))
        problems.push(
          `${name}: text.${language} must be a text of 1 to ${QUESTION_TEXT_MAX_LENGTH} characters`,
        );
    if (texts[FALLBACK_LANGUAGE] === undefined)
      problems.push(`${name}: text.${FALLBACK_LANGUAGE} is required`);
  }
  for (const kind of SINGLE_KINDS) {
    if ((kinds.get(kind) ?? 0) > 1) problems.push(`at most one ${kind} question`);
  }
  if (!kinds.has('nps') && !kinds.has('csat')) problems.push('a template needs an nps or a csat question');
  return problems;
}
