import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { videos } from "@/lib/db/schema";
import { enqueueTranscode } from "@/lib/jobs/queue";
import { startQueueDepthMetric } from "@/lib/jobs/queue-metric";
import { testDatabase } from "./helpers/db";

const cloudwatch = mockClient(CloudWatchClient);
let database: Awaited<ReturnType<typeof testDatabase>>;

beforeAll(async () => {
  database = await testDatabase();
});
afterAll(async () => {
  await database.close();
});
beforeEach(() => cloudwatch.reset());

describe("queue depth metric", () => {
  it("publishes Reelgate/QueueDepth for the stage with the number of waiting jobs", async () => {
    for (const id of ["metricvid001", "metricvid002", "metricvid003"]) {
      await database.db.insert(videos).values({ id, title: id, status: "queued" });
      await enqueueTranscode(database.db, id, 3);
    }
    cloudwatch.on(PutMetricDataCommand).resolves({});
    const metric = startQueueDepthMetric({
      db: database.db,
      stage: "prod",
      intervalMs: 60_000,
      client: new CloudWatchClient({ region: "us-east-1" }),
    });
    await metric.publish();
    metric.stop();
    const calls = cloudwatch.commandCalls(PutMetricDataCommand);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.at(-1)!.args[0].input).toEqual({
      Namespace: "Reelgate",
      MetricData: [
        {
          MetricName: "QueueDepth",
          Dimensions: [{ Name: "Stage", Value: "prod" }],
          Unit: "Count",
          Value: 3,
        },
      ],
    });
  });

  it("logs a failed publish and keeps going", async () => {
    cloudwatch
      .on(PutMetricDataCommand)
      .rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    const lines: string[] = [];
    const metric = startQueueDepthMetric({
      db: database.db,
      stage: "prod",
      client: new CloudWatchClient({ region: "us-east-1" }),
      log: (line) => lines.push(line),
    });
    await metric.publish();
    metric.stop();
    expect(lines.at(-1)).toBe("queue depth metric not published: AccessDenied");
  });
});
