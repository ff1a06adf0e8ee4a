/** A timestamp in the audit trail as the service writes one: `JSON.stringify` of a `Date`, in UTC. */
export const auditInstant = (column: string) =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The complaint `c` as its audit lines keep it (`auditView`): every field but the free text. For repairs
 * written in SQL, whose lines must read as the service's own.
 */
export const AUDIT_VIEW = `jsonb_build_object(
  'id', c.id, 'guestId', c.guest_id, 'propertyId', c.property_id, 'stay', c.stay,
  'reservationId', c.reservation_id, 'channel', c.channel, 'category', c.category, 'aspect', c.aspect,
  'severity', c.severity, 'status', c.status, 'ownerId', c.owner_id, 'ownerRole', c.owner_role,
  'escalationLevel', c.escalation_level, 'policyId', c.policy_id, 'surveyId', c.survey_id,
  'openedAt', ${auditInstant('c.opened_at')}, 'acknowledgedAt', ${auditInstant('c.acknowledged_at')},
  'resolvedAt', ${auditInstant('c.resolved_at')}, 'closedAt', ${auditInstant('c.closed_at')},
  'resolution', c.resolution, 'satisfaction', c.satisfaction, 'duplicateOf', c.duplicate_of)`;
