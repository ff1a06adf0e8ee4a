import type { EntityManager } from 'typeorm';
import type { SendPolicy } from '../domain/invitation-timing';
import type { PropertySettingsDto } from './dto/settings.dto';

export interface PropertySettings extends SendPolicy {
  propertyId: string;
  brand: string | null;
  timeZone: string;
  samplingPercent: number;
}

interface PropertyRow {
  property_id: string;
  brand: string | null;
  time_zone: string;
  sampling_percent: string;
  delay_days: number;
  send_hour: number;
}

/**
 * Per-property survey configuration. A property is known from its first stay (with the time zone the
 * stay carries) and runs on the defaults (everyone sampled, next day at 10:00) until configured.
 */
export const PropertySettingsStore = {
  async observe(manager: EntityManager, zones: Map<string, string>): Promise<void> {
    // Only new or changed properties reach the upsert: ON CONFLICT locks the row it meets even when its
    // WHERE skips the update, and every batch of stays names the same few properties, so concurrent
    // batches would queue on those locks until each other's commit.
    await manager.query(
      `insert into survey_properties (property_id, time_zone)
       select w.property_id, w.time_zone from unnest($1::text[], $2::text[]) as w(property_id, time_zone)
       left join survey_properties p using (property_id)
       where p.property_id is null or p.time_zone is distinct from w.time_zone
       on conflict (property_id) do update set time_zone = excluded.time_zone`,
      [[...zones.keys()], [...zones.values()]],
    );
  },

  async load(manager: EntityManager, propertyIds: string[]): Promise<Map<string, PropertySettings>> {
    const rows: PropertyRow[] = await manager.query(
      'select * from survey_properties where property_id = any($1)',
      [propertyIds],
    );
    return new Map(
      rows.map((row) => [
        row.property_id,
        {
          propertyId: row.property_id,
          brand: row.brand,
          timeZone: row.time_zone,
          samplingPercent: Number(row.sampling_percent),
          delayDays: row.delay_days,
          sendHour: row.send_hour,
        },
      ]),
    );
  },

  /** Sets what `changes` names and keeps the rest; a property not seen yet starts on the defaults. */
  async configure(manager: EntityManager, propertyId: string, changes: PropertySettingsDto) {
    const [row]: unknown[] = await manager.query(
      `insert into survey_properties (property_id, brand, sampling_percent, delay_days, send_hour)
       values ($1, $2, coalesce($3, 100), coalesce($4, 1), coalesce($5, 10))
       on conflict (property_id) do update set brand = coalesce($2, survey_properties.brand),
         sampling_percent = coalesce($3, survey_properties.sampling_percent),
         delay_days = coalesce($4, survey_properties.delay_days), send_hour = coalesce($5, survey_properties.send_hour)
       returning property_id as "propertyId", brand, time_zone as "timeZone",
         sampling_percent::float8 as "samplingPercent", delay_days as "delayDays", send_hour as "sendHour"`,
      [
        propertyId,
        changes.brand ?? null,
        changes.samplingPercent ?? null,
        changes.delayDays ?? null,
        changes.sendHour ?? null,
      ],
    );
    return row;
  },

  async setRecontactDays(manager: EntityManager, brand: string, days: number): Promise<void> {
    await manager.query(
      `insert into survey_brands (brand, recontact_days) values ($1, $2)
       on conflict (brand) do update set recontact_days = excluded.recontact_days`,
      [brand, days],
    );
  },

  /** The recontact window of each brand that has its own. */
  async recontactDays(manager: EntityManager): Promise<Map<string, number>> {
    const rows: { brand: string; recontact_days: number }[] = await manager.query(
      'select brand, recontact_days from survey_brands',
    );
    return new Map(rows.map((row) => [row.brand, row.recontact_days]));
  },

  async propertiesOfBrand(manager: EntityManager, brand: string): Promise<string[]> {
    const rows: { property_id: string }[] = await manager.query(
      'select property_id from survey_properties where brand = $1',
      [brand],
    );
    return rows.map((row) => row.property_id);
  },
};
