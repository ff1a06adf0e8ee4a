import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { addDays, localDateOf } from '@loyalty/time';
import { periodRange, type DayRange, type Period } from '../domain/periods';
import { driversOf, insightOf } from '../domain/survey-insight';
import { PropertySettingsStore } from '../settings/property-settings';
import { AggregateStore } from './aggregate-store';
import type { Scope } from './dto/insight-query.dto';

export interface InsightTarget {
  scope: Scope;
  id?: string;
  period: Period;
  date: string;
}

/** Dashboards' reads: every figure comes from the day aggregates, never from the answers themselves. */
@Injectable()
export class InsightService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The day a query without a date is about. A property counts its answers on its local days, so it is
   * its local today: UTC's would still be yesterday (last week, last month) for a morning in Tokyo. A
   * brand or the chain spans time zones and keeps UTC's.
   */
  async today(target: Omit<InsightTarget, 'date'>, now: Date): Promise<string> {
    if (target.scope !== 'property') return localDateOf(now, 'UTC');
    const id = target.id as string;
    const settings = await PropertySettingsStore.load(this.dataSource.manager, [id]);
    // A property surveys has never seen has no figures either; UTC is its stored default zone.
    return localDateOf(now, settings.get(id)?.timeZone ?? 'UTC');
  }

  async nps(target: InsightTarget, manager: EntityManager = this.dataSource.manager) {
    const range = periodRange(target.period, target.date);
    const { bucket, invited, invitedAnswered } = await AggregateStore.totals(
      manager,
      await this.properties(manager, target),
      range,
    );
    return {
      ...this.describe(target, range),
      ...insightOf(bucket, { invited, answered: invitedAnswered }),
    };
  }

  async drivers(target: InsightTarget) {
    const range = periodRange(target.period, target.date);
    const manager = this.dataSource.manager;
    const { bucket } = await AggregateStore.totals(manager, await this.properties(manager, target), range);
    return { ...this.describe(target, range), drivers: driversOf(bucket) };
  }

  /** The same figures for each of `periods` consecutive periods ending with the one containing `date`. */
  async trend(target: InsightTarget, periods: number) {
    const points = [];
    let date = target.date;
    for (let i = 0; i < periods; i++) {
      const { serviceQuality: _q, departments: _d, ...figures } = await this.nps({ ...target, date });
      points.unshift(figures);
      date = addDays(periodRange(target.period, date).from, -1);
    }
    return { scope: target.scope, id: target.id ?? null, period: target.period, points };
  }

  private describe(target: InsightTarget, range: DayRange) {
    return {
      scope: target.scope,
      id: target.id ?? null,
      period: target.period,
      from: range.from,
      to: addDays(range.to, -1),
    };
  }

  private async properties(manager: EntityManager, target: InsightTarget): Promise<string[] | 'all'> {
    if (target.scope === 'chain') return 'all';
    if (target.scope === 'property') return [target.id as string];
    return PropertySettingsStore.propertiesOfBrand(manager, target.id as string);
  }
}
