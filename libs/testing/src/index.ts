export { testInfrastructure, WORKSPACE_ROOT, type TestInfrastructure } from './infrastructure';
export { createTestDatabase, type QueryPlan, type TestDatabase } from './test-database';
export {
  KafkaProbe,
  uniqueTopicPrefix,
  deleteTopicsWithPrefix,
  type ProbeRecord,
  type RawMessage,
} from './kafka-probe';
export { ServiceProcess, freePort, SERVICE_LOG_DIR } from './service-process';
export { createNewTopics } from './new-topics';
export { waitUntil, type WaitOptions } from './wait-until';
export { startInProcess, type InProcessService } from './in-process-service';
export { productionServiceEnv, serviceEnv } from './service-env';
export { postgresControl } from './postgres-control';
export { FixtureConfig, FixtureHandlers, FixtureModule, HandlerScript } from './fixture-service.module';
export { OnStage, TestStage } from './test-stage';
export { handledEventTypes } from './handled-event-types';
export { callHttp, type HttpAnswer, type HttpCall } from './http-call';
export { recording } from './recording-manager';
export { crashingForGood, promptConsumerSettings } from './crashing-consumer';
export { zoneOnlyNodeKnows } from './time-zones';
