import { SERVICE_QUALITY_DIMENSIONS, type ServiceQualityDimension } from '@loyalty/contracts';

export const DEPARTMENTS = ['front-desk', 'housekeeping', 'food-and-beverage'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const QUESTION_KINDS = ['nps', 'csat', 'quality', 'department', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** The scale of each scored kind; a text answer has a length limit instead. */
export const SCALES: Record<Exclude<QuestionKind, 'text'>, { min: number; max: number }> = {
  nps: { min: 0, max: 10 },
  csat: { min: 1, max: 5 },
  quality: { min: 1, max: 5 },
  department: { min: 1, max: 5 },
};
export const COMMENT_MAX_LENGTH = 2000;

/**
 * One question. Quality and department questions are identified by their dimension
 * (`reliability`, `front-desk`, ...), so answers aggregate across template versions.
 */
export interface Question {
  id: string;
  kind: QuestionKind;
  required: boolean;
  /** The question in each language the template offers. */
  text: Record<string, string>;
}

export interface SurveyTemplate {
  templateId: string;
  version: number;
  questions: Question[];
}

export const TEMPLATE_LANGUAGES = ['en', 'zh'] as const;
export const FALLBACK_LANGUAGE = 'en';

/** The template's language for a guest: their preferred language when offered, else English. */
export function chooseLanguage(preferredLanguage: string | undefined): string {
  const primary = preferredLanguage?.split('-')[0].toLowerCase();
  return TEMPLATE_LANGUAGES.find((language) => language === primary) ?? FALLBACK_LANGUAGE;
}

const QUALITY_TEXT: Record<ServiceQualityDimension, [string, string]> = {
  reliability: ['The hotel delivered what it promised.', '酒店兑现了承诺。'],
  responsiveness: ['Staff helped you promptly.', '员工及时为您提供帮助。'],
  assurance: ['Staff were competent and made you feel safe.', '员工专业，让您感到安心。'],
  empathy: ['Staff gave you individual attention.', '员工给予您个性化的关注。'],
  tangibles: ['The rooms and facilities looked good.', '客房和设施状况良好。'],
};

const DEPARTMENT_TEXT: Record<Department, [string, string]> = {
  'front-desk': ['How would you rate the front desk?', '您如何评价前台服务？'],
  housekeeping: ['How would you rate housekeeping?', '您如何评价客房清洁服务？'],
  'food-and-beverage': ['How would you rate food and beverage?', '您如何评价餐饮服务？'],
};

const bilingual = ([en, zh]: [string, string]) => ({ en, zh });

/** The chain's post-stay survey, the template every property uses until it publishes its own. */
export const DEFAULT_TEMPLATE: SurveyTemplate = {
  templateId: 'post-stay',
  version: 1,
  questions: [
    {
      id: 'recommend',
      kind: 'nps',
      required: false,
      text: bilingual([
        'How likely are you to recommend us to a friend?',
        '您向朋友推荐我们的可能性有多大？',
      ]),
    },
    {
      id: 'satisfaction',
      kind: 'csat',
      required: true,
      text: bilingual(['Overall, how satisfied were you with your stay?', '总体而言，您对这次入住满意吗？']),
    },
    ...SERVICE_QUALITY_DIMENSIONS.map((id) => ({
      id,
      kind: 'quality' as const,
      required: false,
      text: bilingual(QUALITY_TEXT[id]),
    })),
    ...DEPARTMENTS.map((id) => ({
      id,
      kind: 'department' as const,
      required: false,
      text: bilingual(DEPARTMENT_TEXT[id]),
    })),
    {
      id: 'comment',
      kind: 'text',
      required: false,
      text: bilingual(['Anything else you would like to tell us?', '您还有什么想告诉我们的吗？']),
    },
  ],
};

/** The template as a guest sees it: each question in one language. */
export function localise(template: SurveyTemplate, language: string) {
  return {
    templateId: template.templateId,
    version: template.version,
    language,
    questions: template.questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      required: q.required,
      text: q.text[language] ?? q.text[FALLBACK_LANGUAGE],
      ...(q.kind === 'text' ? { maxLength: COMMENT_MAX_LENGTH } : SCALES[q.kind]),
    })),
  };
}
