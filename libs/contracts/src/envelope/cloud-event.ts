import type { Plain } from '../common/plain';
import type { CloudEventEnvelopeDto } from './cloud-event-envelope.dto';

/**
 * A CloudEvents 1.0 event in structured JSON mode with the platform's extension attributes, typed by
 * its `type` and `data`. The attributes and their rules are those of `CloudEventEnvelopeDto`.
 */
export type CloudEvent<TType extends string = string, TData = unknown> = Omit<
  Plain<CloudEventEnvelopeDto>,
  'type' | 'data'
> & {
  /** The event type, which is also the topic name, e.g. `stay-completed`. */
  type: TType;
  data: TData;
};

/** `source` of events produced by one of the platform's services: `loyalty/<service>`. */
export function serviceSource(service: string): string {
  return `loyalty/${service}`;
}
