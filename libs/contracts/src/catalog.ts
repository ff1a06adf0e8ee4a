import type { CloudEvent } from './envelope/cloud-event';
import type { DtoClass } from './common/nested-types';
import type { Plain } from './common/plain';
import type { EventDeclaration, ServiceName } from './catalog/event-declaration';
import { churnWatcherEvents } from './events/churn-watcher/churn-watcher.events';
import { complaintsEvents } from './events/complaints/complaints.events';
import { pointsLedgerEvents } from './events/points-ledger/points-ledger.events';
import { profilesEvents } from './events/profiles/profiles.events';
import { surveysEvents } from './events/surveys/surveys.events';
import { upstreamEvents } from './events/upstream/upstream.events';

/**
 * Every event type of the platform, one declaration each: its versions (version -> payload DTO), the
 * version producers emit, its partition key rule, its topic settings, its producer and consumers.
 * The topic of an event type is named after it.
 */
export const eventCatalog = {
  ...upstreamEvents,
  ...profilesEvents,
  ...pointsLedgerEvents,
  ...surveysEvents,
  ...complaintsEvents,
  ...churnWatcherEvents,
} satisfies Record<string, EventDeclaration>;

type Catalog = typeof eventCatalog;
type InstanceOf<C> = C extends DtoClass<infer I> ? I : never;

/** Every event type (and topic) name, e.g. `'stay-completed'`. */
export type EventType = keyof Catalog;

/** The versions an event type has, e.g. `'1'`. */
export type EventVersion<T extends EventType> = keyof Catalog[T]['versions'] & string;

/** The payload class of an event type in the version producers emit. */
export type EventDataClass<T extends EventType> = CurrentVersionClass<Catalog[T]>;

// Resolved per declaration, so the compiler never has to relate one type's current version to another's
// versions (which it cannot prove for a generic T, and which costs a cross product to try).
type CurrentVersionClass<D> = D extends { versions: infer V; currentVersion: infer C }
  ? C extends keyof V
    ? V[C]
    : never
  : never;

/** The payload producers emit for an event type, as a plain object type. */
export type EventData<T extends EventType> = Plain<InstanceOf<EventDataClass<T>>>;

/** A complete CloudEvent of a type, with the payload producers emit. */
export type EventEnvelope<T extends EventType> = CloudEvent<T, EventData<T>>;

/** The payload instance of any version of an event type: what consumers receive from `validateEvent`. */
export type ReceivedEventData<T extends EventType> = InstanceOf<Catalog[T]['versions'][EventVersion<T>]>;

export const EVENT_TYPES = Object.keys(eventCatalog) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(eventCatalog, value);
}

export function eventDeclaration(type: EventType): EventDeclaration {
  return eventCatalog[type];
}

/** Event types a service subscribes to, per the catalogue's consumer lists. */
export function eventTypesConsumedBy(service: ServiceName): EventType[] {
  return EVENT_TYPES.filter((type) => eventDeclaration(type).consumers.includes(service));
}

/** Event types a producer emits. */
export function eventTypesProducedBy(producer: EventDeclaration['owner']): EventType[] {
  return EVENT_TYPES.filter((type) => eventDeclaration(type).owner === producer);
}
