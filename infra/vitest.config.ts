import { defineConfig } from "vitest/config";

// Run with `npm run infra:test` (vitest --root infra). Each test file synthesizes the
// stack once in beforeAll; synthesis is CPU-bound, so two forks suit a 2-core machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // CDK's built-in CloudFormation schema validation is ~90% of a synth's time; `cdk synth`
    // still runs it. The cdk-nag plugin (the point of these tests) runs regardless.
    env: { CDK_VALIDATION: "false" },
  },
});
