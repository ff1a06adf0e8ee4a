import type { EntityManager } from 'typeorm';
import { DEFAULT_TEMPLATE, type Question, type SurveyTemplate } from '../domain/templates';

export type TemplateScope = 'chain' | 'brand' | 'property';

interface TemplateRow {
  template_id: string;
  version: number;
  questions: Question[];
}

const toTemplate = (row: TemplateRow): SurveyTemplate => ({
  templateId: row.template_id,
  version: row.version,
  questions: row.questions,
});

/**
 * Versioned templates. A property's survey is its own latest template, else its brand's, else the
 * chain's, else the built-in default. Versions are never changed once published, so an answer is always
 * validated against the exact questions the guest was sent.
 */
export const TemplateStore = {
  async current(manager: EntityManager, propertyId: string, brand: string | null): Promise<SurveyTemplate> {
    const [row]: TemplateRow[] = await manager.query(
      `select template_id, version, questions from survey_templates
       where (scope = 'property' and scope_id = $1) or (scope = 'brand' and scope_id = $2) or scope = 'chain'
       order by case scope when 'property' then 0 when 'brand' then 1 else 2 end, published_at desc, version desc
       limit 1`,
      [propertyId, brand ?? ''],
    );
    return row ? toTemplate(row) : DEFAULT_TEMPLATE;
  },

  async version(manager: EntityManager, templateId: string, version: number): Promise<SurveyTemplate | null> {
    if (templateId === DEFAULT_TEMPLATE.templateId && version === DEFAULT_TEMPLATE.version)
      return DEFAULT_TEMPLATE;
    const [row]: TemplateRow[] = await manager.query(
      'select template_id, version, questions from survey_templates where template_id = $1 and version = $2',
      [templateId, version],
    );
    return row ? toTemplate(row) : null;
  },

  /** Publishes the next version of `templateId` for a scope; the default template counts as version 1. */
  async publish(
    manager: EntityManager,
    templateId: string,
    scope: TemplateScope,
    scopeId: string,
    questions: Question[],
  ): Promise<SurveyTemplate> {
    await manager.query('select pg_advisory_xact_lock(hashtext($1))', [`survey-template:${templateId}`]);
    const [{ latest }]: { latest: number | null }[] = await manager.query(
      'select max(version) as latest from survey_templates where template_id = $1',
      [templateId],
    );
    const floor = templateId === DEFAULT_TEMPLATE.templateId ? DEFAULT_TEMPLATE.version : 0;
    const version = Math.max(latest ?? 0, floor) + 1;
    await manager.query(
      `insert into survey_templates (template_id, version, scope, scope_id, questions) values ($1, $2, $3, $4, $5)`,
      [templateId, version, scope, scope === 'chain' ? '*' : scopeId, JSON.stringify(questions)],
    );
    return { templateId, version, questions };
  },
};
