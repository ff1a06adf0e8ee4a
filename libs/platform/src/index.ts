export { ServicePlatformModule, type ServicePlatformOptions } from './platform.module';
export { bootstrapService, type BootstrapOptions } from './bootstrap';
export { Clock } from './scheduling/clock';
export { operationInstant } from './scheduling/operation-instant';
export { PeriodicTask } from './scheduling/periodic-task';
export { codedErrorFilter, type CodedError } from './http/coded-error-filter';
export { assertSameRequest, requestKey, type RequestKey } from './http/request-key';
export { validRequest, type RequestIssue } from './http/valid-request';
export { CanonicalUuid, UUID_PARAM } from './http/canonical-uuid';
export { PROPERTY_PARAM } from './http/property-param';
export {
  encodeKeysetCursor,
  isIsoInstant,
  isPostgresBigint,
  isPostgresInt,
  isUuid,
  pageOf,
  parseKeysetCursor,
  type CursorPartCheck,
  type Page,
} from './http/keyset-cursor';
