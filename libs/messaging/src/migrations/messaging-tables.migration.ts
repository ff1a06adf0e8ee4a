import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox (events waiting to be published, written in the same transaction as the change that
 * caused them) and the inbox (event ids already applied by a consumer group). Every service lists
 * this migration with its own.
 */
export class MessagingTables1760000000000 implements MigrationInterface {
  name = 'MessagingTables1760000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      create table messaging_outbox (
        id bigserial primary key,
        event_id uuid not null unique,
        event_type text not null,
        topic text not null,
        partition_key text,
        payload jsonb not null,
        headers jsonb not null default '{}',
        created_at timestamptz not null default now(),
        published_at timestamptz
      )`);
    await queryRunner.query(
      `create index messaging_outbox_pending on messaging_outbox (id) where published_at is null`,
    );
    await queryRunner.query(`create index messaging_outbox_published on messaging_outbox (published_at)`);
    // Wakes the relay at commit time instead of making it poll in a tight loop.
    await queryRunner.query(`
      create function messaging_outbox_notify() returns trigger language plpgsql as $$
      begin perform pg_notify('messaging_outbox', ''); return null; end $$`);
    await queryRunner.query(`
      create trigger messaging_outbox_inserted after insert on messaging_outbox
      for each statement execute function messaging_outbox_notify()`);
    await queryRunner.query(`
      create table messaging_inbox (
        consumer_group text not null,
        event_id uuid not null,
        event_type text not null,
        topic text not null,
        partition integer not null,
        "offset" bigint not null,
        processed_at timestamptz not null default now(),
        primary key (consumer_group, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`drop table messaging_inbox`);
    await queryRunner.query(`drop trigger messaging_outbox_inserted on messaging_outbox`);
    await queryRunner.query(`drop function messaging_outbox_notify`);
    await queryRunner.query(`drop table messaging_outbox`);
  }
}
