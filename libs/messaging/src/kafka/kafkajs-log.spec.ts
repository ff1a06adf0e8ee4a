import { logLevel } from 'kafkajs';
import { kafkaJsLogLevel } from './kafkajs-log';

describe('kafkaJsLogLevel', () => {
  it('should write a protocol error the broker answered with as a warning, since kafkajs hands it to its caller', () => {
    expect(kafkaJsLogLevel(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)')).toBe('warn');
    expect(kafkaJsLogLevel(logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)')).toBe('warn');
  });

  it('should write a consumer crash and its restart as warnings, since kafkajs reports them before deciding', () => {
    expect(
      kafkaJsLogLevel(
        logLevel.ERROR,
        "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
      ),
    ).toBe('warn');
    expect(kafkaJsLogLevel(logLevel.ERROR, 'Restarting the consumer in 300ms')).toBe('warn');
  });

  it('should keep every other kafkajs error an error', () => {
    expect(kafkaJsLogLevel(logLevel.ERROR, 'Error when calling eachBatch')).toBe('error');
    expect(kafkaJsLogLevel(logLevel.ERROR, '[Consumer] Crash: KafkaJSNumberOfRetriesExceeded')).toBe('error');
    expect(kafkaJsLogLevel(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe(
      'error',
    );
  });

  it('should write warnings as warnings', () => {
    expect(kafkaJsLogLevel(logLevel.WARN, 'KafkaJS v2.0.0 switched default partitioner')).toBe('warn');
  });
});
