import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Identity resolution, encrypted personal data, merges, preferences, consent, the 360° view and the access log. */
export class IdentityPrivacyAndViews1760000002100 implements MigrationInterface {
  name = 'IdentityPrivacyAndViews1760000002100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `alter table guests
         add column status text not null default 'active' check (status in ('active', 'merged', 'erased')),
         add column merged_into uuid references guests (id),
         add column loyalty_number text,
         add column country_code text,
         add column preferred_language text,
         add column tier text,
         add column tier_as_of timestamptz,
         add column last_survey_score integer,
         add column last_survey_at timestamptz,
         add column rfm_recency integer,
         add column rfm_frequency integer,
         add column rfm_monetary integer,
         add column segment text,
         add column erased_at timestamptz,
         add column updated_at timestamptz not null default now()`,
      // Only the wrapped data key; deleting it is the erasure (crypto-shredding).
      `create table guest_keys (guest_id uuid primary key references guests (id), wrapped_key text not null)`,
      `create table guest_personal_data (
         guest_id uuid not null references guests (id),
         field text not null,
         ciphertext text not null,
         value_mac text not null,
         verified boolean not null default false,
         source text not null,
         observed_at timestamptz not null,
         primary key (guest_id, field))`,
      // Several guests may share an email until merged, so the guest id is part of the key.
      `alter table guest_identities drop constraint guest_identities_pkey`,
      `alter table guest_identities add primary key (source, reference, guest_id)`,
      `create index guest_identities_guest on guest_identities (guest_id)`,
      `alter table stays
         add column property_revenue_minor bigint not null default 0,
         add column property_currency text not null default 'USD',
         add column program_revenue_minor bigint not null default 0`,
      `create table match_decisions (
         id bigserial primary key,
         event_id text,
         guest_id uuid not null,
         candidate_id uuid,
         outcome text not null,
         rule text,
         score numeric(4, 3),
         decided_at timestamptz not null default now())`,
      `create table match_suggestions (
         id uuid primary key,
         guest_a uuid not null references guests (id),
         guest_b uuid not null references guests (id),
         rule text not null,
         score numeric(4, 3) not null,
         status text not null default 'open' check (status in ('open', 'merged', 'not-same')),
         decided_by text,
         decided_at timestamptz,
         created_at timestamptz not null default now(),
         check (guest_a < guest_b),
         unique (guest_a, guest_b))`,
      `create table guest_preferences (
         guest_id uuid not null references guests (id),
         grp text not null,
         value text not null,
         source text not null,
         recorded_at timestamptz not null,
         primary key (guest_id, grp, value))`,
      `create table guest_consents (
         id bigserial primary key,
         guest_id uuid not null references guests (id),
         purpose text not null,
         channel text not null,
         granted boolean not null,
         source text not null,
         recorded_at timestamptz not null default now())`,
      `create index guest_consents_guest on guest_consents (guest_id, purpose, channel, id desc)`,
      `create table reservations (
         property_id text not null,
         reservation_id text not null,
         guest_id uuid not null references guests (id),
         arrival date not null,
         departure date not null,
         room_type text not null,
         cancelled boolean not null default false,
         primary key (property_id, reservation_id))`,
      `create index reservations_arrival on reservations (property_id, arrival)`,
      `create table open_complaints (
         complaint_id uuid primary key,
         guest_id uuid not null,
         property_id text,
         severity text,
         category text,
         opened_at timestamptz not null,
         closed_at timestamptz)`,
      `create index open_complaints_guest on open_complaints (guest_id) where closed_at is null`,
      `create table access_log (
         id bigserial primary key,
         guest_id uuid,
         actor text not null,
         roles text[] not null,
         action text not null,
         reason text,
         accessed_at timestamptz not null default now())`,
      `create index access_log_guest on access_log (guest_id, accessed_at)`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'access_log',
      'open_complaints',
      'reservations',
      'guest_consents',
      'guest_preferences',
      'match_suggestions',
      'match_decisions',
      'guest_personal_data',
      'guest_keys',
    ]) {
      await queryRunner.query(`drop table ${table}`);
    }
    await queryRunner.query(
      `delete from guest_identities where source <> 'loyalty' and source not like 'pms:%'`,
    );
    await queryRunner.query(
      'delete from guest_identities a using guest_identities b where a.source = b.source and a.reference = b.reference and a.guest_id > b.guest_id',
    );
    await queryRunner.query('alter table guest_identities drop constraint guest_identities_pkey');
    await queryRunner.query('alter table guest_identities add primary key (source, reference)');
    await queryRunner.query('drop index guest_identities_guest');
    await queryRunner.query(
      'alter table stays drop column property_revenue_minor, drop column property_currency, drop column program_revenue_minor',
    );
    await queryRunner.query(
      `alter table guests drop column status, drop column merged_into, drop column loyalty_number,
         drop column country_code, drop column preferred_language, drop column tier, drop column tier_as_of,
         drop column last_survey_score, drop column last_survey_at, drop column rfm_recency,
         drop column rfm_frequency, drop column rfm_monetary, drop column segment, drop column erased_at,
         drop column updated_at`,
    );
  }
}
