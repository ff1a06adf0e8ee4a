import { templateProblems } from './template-validation';
import { chooseLanguage, DEFAULT_TEMPLATE, localise } from './templates';

describe('templates', () => {
  it('should choose Chinese for any Chinese variant and English for languages it does not offer', () => {
    expect(chooseLanguage('zh-CN')).toBe('zh');
    expect(chooseLanguage('zh-Hant-TW')).toBe('zh');
    expect(chooseLanguage('nl-NL')).toBe('en');
    expect(chooseLanguage(undefined)).toBe('en');
  });

  it('should show each question in the chosen language with its scale', () => {
    const zh = localise(DEFAULT_TEMPLATE, 'zh');
    expect(zh.questions[0]).toEqual({
      id: 'recommend',
      kind: 'nps',
      required: false,
      text: '您向朋友推荐我们的可能性有多大？',
      min: 0,
      max: 10,
    });
  });

  it('should find nothing wrong with the default template', () => {
    expect(templateProblems(DEFAULT_TEMPLATE.questions)).toEqual([]);
  });

  it('should name the question when a template repeats an id, misnames a dimension or lacks English', () => {
    const problems = templateProblems([
      { id: 'recommend', kind: 'nps', required: true, text: { en: 'Recommend?' } },
      { id: 'recommend', kind: 'csat', required: true, text: { zh: '满意吗？' } },
      { id: 'speed', kind: 'quality', required: false, text: { en: 'Fast?' } },
    ]);
    expect(problems).toEqual([
      'questions[1] (recommend): id is used twice',
      'questions[1] (recommend): text.en is required',
      "questions[2] (speed): a quality question's id must be one of reliability, responsiveness, assurance, empathy, tangibles",
    ]);
  });

  it('should name a question whose text in a language is no text, rather than fail on it', () => {
    const problems = templateProblems([
      {
        id: 'recommend',
        kind: 'nps',
        required: true,
        text: { en: 5, zh: null } as unknown as Record<string, string>,
      },
    ]);
    expect(problems).toEqual([
      'questions[0] (recommend): text.en must be a text of 1 to 400 characters',
      'questions[0] (recommend): text.zh must be a text of 1 to 400 characters',
    ]);
  });
});
