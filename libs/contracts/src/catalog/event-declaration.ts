import type { DtoClass } from '../common/nested-types';
import type { ReservationFields } from '../common/stay.fields';

export const SERVICE_NAMES = ['profiles', 'points-ledger', 'surveys', 'complaints', 'churn-watcher'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Who produces an event type: one of the platform's services, or the property systems upstream. */
export type Producer = 'upstream' | ServiceName;

/** Kafka settings of an event type's topic; its dead-letter topic has the same partitions and retention. */
export interface TopicSettings {
  partitions: number;
  retentionMs: number;
}

/** Version (`'1'`, `'2'`, ...) -> the DTO class of the payload in that version. */
export type Versions = Readonly<Record<string, DtoClass>>;

export type PartitionKeyRule =
  /** Key = envelope `subject` = the guest id found in `data[subjectField]`. */
  | { by: 'subject'; subjectField: string }
  /** Key = `${data.propertyId}:${data.reservationId}`. */
  | { by: 'reservation' };

interface DeclarationFields<V extends Versions, C extends keyof V & string> {
  /** One sentence saying what happened, for the AsyncAPI document. */
  summary: string;
  owner: Producer;
  /** Services that subscribe (documentation and subscription lists; producers do not depend on it). */
  consumers: readonly ServiceName[];
  versions: V;
  /** The version producers emit; consumers accept every version in `versions`. */
  currentVersion: C;
  topic: TopicSettings;
}

export interface EventDeclaration<
  V extends Versions = Versions,
  C extends keyof V & string = keyof V & string,
> extends DeclarationFields<V, C> {
  key: PartitionKeyRule;
}

type StringFieldOf<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T] & string;
type InstanceOfAnyVersion<V extends Versions> = InstanceType<V[keyof V]>;

/** An event about one guest: keyed by the guest id, which is also the envelope's `subject`. */
export function guestEvent<
  V extends Versions,
  C extends keyof V & string,
  F extends StringFieldOf<InstanceOfAnyVersion<V>>,
>(
  declaration: DeclarationFields<V, C> & { subjectField: F },
): DeclarationFields<V, C> & { key: { by: 'subject'; subjectField: F } } {
  const { subjectField, ...fields } = declaration;
  return { ...fields, key: { by: 'subject', subjectField } };
}

/** A booking event from upstream: keyed by `propertyId:reservationId`, so one reservation stays in order. */
export function bookingEvent<
  V extends Readonly<Record<string, DtoClass<ReservationFields>>>,
  C extends keyof V & string,
>(declaration: DeclarationFields<V, C>): DeclarationFields<V, C> & { key: { by: 'reservation' } } {
  return { ...declaration, key: { by: 'reservation' } };
}
