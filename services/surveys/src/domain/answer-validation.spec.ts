import { validateAnswers } from './answer-validation';
import { DEFAULT_TEMPLATE } from './templates';

describe('validateAnswers', () => {
  it('should keep every answered score and the comment when the answers fit the template', () => {
    const result = validateAnswers(DEFAULT_TEMPLATE, {
      recommend: 9,
      satisfaction: 4,
      reliability: 5,
      'front-desk': 3,
      comment: '  Lovely staff ',
    });
    expect(result).toEqual({
      answer: {
        nps: 9,
        csat: 4,
        quality: { reliability: 5 },
        departments: { 'front-desk': 3 },
        comment: 'Lovely staff',
      },
    });
  });

  it('should accept a skipped recommend question and leave nps out', () => {
    expect(validateAnswers(DEFAULT_TEMPLATE, { satisfaction: 3, recommend: null })).toEqual({
      answer: { csat: 3, quality: {}, departments: {} },
    });
  });

  it('should name each question that is missing, out of range, not whole or unknown', () => {
    const result = validateAnswers(DEFAULT_TEMPLATE, { recommend: 11, empathy: 2.5, colour: 'blue' });
    expect(result).toEqual({
      errors: [
        { question: 'colour', reason: 'is not a question of post-stay v1' },
        { question: 'recommend', reason: 'must be a whole number from 0 to 10' },
        { question: 'satisfaction', reason: 'is required' },
        { question: 'empathy', reason: 'must be a whole number from 1 to 5' },
      ],
    });
  });

  it('should refuse a comment that is too long', () => {
    const result = validateAnswers(DEFAULT_TEMPLATE, { satisfaction: 5, comment: 'x'.repeat(2001) });
    expect(result).toEqual({
      errors: [{ question: 'comment', reason: 'must be text of at most 2000 characters' }],
    });
  });

  it('should accept a comment as long as the limit when blanks around it bring it over', () => {
    const comment = `  ${'x'.repeat(2000)}\n `;
    expect(validateAnswers(DEFAULT_TEMPLATE, { satisfaction: 5, comment })).toEqual({
      answer: { csat: 5, quality: {}, departments: {}, comment: 'x'.repeat(2000) },
    });
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['BEL', 'a\u0007b'],
    ['ESC', 'a\u001bb'],
    ['NEL', 'a\u0085b'],
  ])('should refuse a comment when it contains %s', (_name, comment) => {
    expect(validateAnswers(DEFAULT_TEMPLATE, { satisfaction: 5, comment })).toEqual({
      errors: [
        {
          question: 'comment',
          reason: 'must not contain control characters other than tabs and line breaks',
        },
      ],
    });
  });

  it('should keep tabs and line breaks in a comment', () => {
    const comment = 'Room:\tfine\r\nBreakfast:\tcold';
    expect(validateAnswers(DEFAULT_TEMPLATE, { satisfaction: 5, comment })).toMatchObject({
      answer: { comment },
    });
  });

  it('should take a skipped question named like a property every object inherits as skipped', () => {
    const template = {
      templateId: 't',
      version: 1,
      questions: [
        { id: 'satisfaction', kind: 'csat' as const, required: true, text: { en: 'x' } },
        { id: 'constructor', kind: 'text' as const, required: false, text: { en: 'y' } },
      ],
    };
    expect(validateAnswers(template, { satisfaction: 4 })).not.toHaveProperty('errors');
  });
});
