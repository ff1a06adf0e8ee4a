import { BadRequestException } from '@nestjs/common';
import { validRequest } from '@loyalty/platform';
import { PublishTemplateDto } from './settings.dto';

/** A template of one question with `text`, as `POST /templates` is sent it. */
const templateWithText = (text: unknown) => ({
  templateId: 'post-stay',
  scope: 'chain',
  questions: [{ id: 'recommend', kind: 'nps', required: true, text }],
});

async function refusalOf(body: unknown): Promise<unknown> {
  try {
    await validRequest.transform(body, { type: 'body', metatype: PublishTemplateDto });
  } catch (error) {
    if (error instanceof BadRequestException) return error.getResponse();
    throw error;
  }
  throw new Error('the request was accepted');
}

describe('PublishTemplateDto', () => {
  it.each([
    ['a number', { en: 5 }, 'en'],
    ['an object', { en: 'Recommend us?', zh: { a: 1 } }, 'zh'],
    ['blank', { en: '  ' }, 'en'],
  ])(
    'should refuse a question text that is %s with a 400 naming the question and language',
    async (_, text, language) => {
      expect(await refusalOf(templateWithText(text))).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [
          { path: 'questions.0.text', reason: `text.${language} must be a text of 1 to 400 characters` },
        ],
      });
    },
  );

  it('should accept a question of 400 characters in a language, and refuse one of 401', async () => {
    const text = { en: 'R'.repeat(400), zh: '您向朋友推荐我们的可能性有多大？' };
    const dto = await validRequest.transform(templateWithText(text), {
      type: 'body',
      metatype: PublishTemplateDto,
    });
    expect(dto.questions[0].text).toEqual(text);
    expect(await refusalOf(templateWithText({ ...text, en: 'R'.repeat(401) }))).toMatchObject({
      errors: [{ path: 'questions.0.text', reason: 'text.en must be a text of 1 to 400 characters' }],
    });
  });
});
