import { BaseServiceConfig } from '@loyalty/config';
import { FixtureConfig, FixtureModule, TestStage } from '@loyalty/testing';

describe('startInProcess, against the real Kafka, Postgres and Redis', () => {
  let stage: TestStage;

  beforeAll(async () => {
    stage = await TestStage.create('in_process');
  });

  afterAll(() => stage?.close());

  it("should start the next service of a test file with its own environment, not the previous one's", async () => {
    const environmentBefore = { ...process.env };
    const limited = await stage.start(FixtureModule, FixtureConfig, { HTTP_BODY_LIMIT_BYTES: '4096' });
    const plain = await stage.start(FixtureModule, FixtureConfig);

    expect(limited.app.get(BaseServiceConfig).HTTP_BODY_LIMIT_BYTES).toBe(4096);
    expect(plain.app.get(BaseServiceConfig).HTTP_BODY_LIMIT_BYTES).toBe(
      new BaseServiceConfig().HTTP_BODY_LIMIT_BYTES,
    );
    expect(process.env).toEqual(environmentBefore);
    // Both still run on what they were given once their variables are gone from process.env.
    for (const service of [limited, plain]) {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    }
  });
});
