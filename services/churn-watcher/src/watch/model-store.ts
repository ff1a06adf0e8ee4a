import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BgNbdFit, BgNbdParameters } from '@loyalty/lifetime';
import { CHAIN_WIDE } from '../domain';

export interface StoredModel {
  readonly id: number;
  readonly segment: string;
  readonly parameters: BgNbdParameters;
  readonly logLikelihood: number;
  readonly guests: number;
  readonly fittedAt: Date;
}

interface ModelRow {
  id: number;
  segment: string;
  r: number;
  alpha: number;
  a: number;
  b: number;
  logLikelihood: number;
  guests: number;
  fittedAt: Date;
}

const COLUMNS = `id, segment, r, alpha, a, b, log_likelihood as "logLikelihood", guests, fitted_at as "fittedAt"`;

/** Every fitted parameter set is kept; the latest per segment is the one in use. */
@Injectable()
export class ModelStore {
  async save(manager: EntityManager, segment: string, fit: BgNbdFit, at: Date): Promise<StoredModel> {
    const { r, alpha, a, b } = fit.parameters;
    const [row]: ModelRow[] = await manager.query(
      `insert into churn_models (segment, r, alpha, a, b, log_likelihood, guests, fitted_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
      [segment, r, alpha, a, b, fit.logLikelihood, fit.customers, at],
    );
    return toModel(row);
  }

  /**
   * The models in use: the latest chain-wide one, and the segments' models of the same refit. A segment
   * not fitted by the latest refit (too few repeat guests now, an unsupported fit) uses the chain-wide
   * model rather than its last own one, however old.
   */
  async latest(manager: EntityManager): Promise<Map<string, StoredModel>> {
    const rows: ModelRow[] = await manager.query(
      `select distinct on (segment) ${COLUMNS} from churn_models order by segment, id desc`,
    );
    return modelsInUse(rows.map(toModel));
  }

  async page(manager: EntityManager, limit: number, offset: number): Promise<StoredModel[]> {
    const rows: ModelRow[] = await manager.query(
      `select ${COLUMNS} from churn_models order by id desc limit $1 offset $2`,
      [limit, offset],
    );
    return rows.map(toModel);
  }
}

/**
 * Of each segment's latest model, those of the latest refit: a refit saves all its models at one
 * `fittedAt`, the chain-wide one first. Without a chain-wide model no segment model is in use either.
 */
export function modelsInUse(latestPerSegment: readonly StoredModel[]): Map<string, StoredModel> {
  const chainWide = latestPerSegment.find((model) => model.segment === CHAIN_WIDE);
  const current = latestPerSegment.filter(
    (model) => chainWide !== undefined && model.fittedAt.getTime() === chainWide.fittedAt.getTime(),
  );
  return new Map(current.map((model) => [model.segment, model]));
}

/** The segment's own model where it has one, else the chain-wide one. */
export function modelFor(models: Map<string, StoredModel>, segment: string): StoredModel | undefined {
  return models.get(segment) ?? models.get(CHAIN_WIDE);
}

export function modelVersion(model: StoredModel): string {
  return `bgnbd-${model.segment}-${model.id}`;
}

function toModel(row: ModelRow): StoredModel {
  const { r, alpha, a, b, ...rest } = row;
  return { ...rest, parameters: { r, alpha, a, b }, fittedAt: new Date(row.fittedAt) };
}
