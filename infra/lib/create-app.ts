import { existsSync } from "node:fs";
import { App, Validations } from "aws-cdk-lib";
import type * as ecs from "aws-cdk-lib/aws-ecs";
import { loadConfig, type ReelgateConfig } from "./config";
import { awsSolutionsChecks } from "./nag";
import { defaultSiteDir, repoRoot, viewerRequestFunctionFile } from "./paths";
import { ReelgateStack } from "./reelgate-stack";

/** Options for {@link createApp}; the CLI passes none (context comes from cdk.json and -c). */
export interface CreateAppOptions {
  /** Extra context, as `-c` would give it. */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly folder; tests use a temp dir. */
  readonly outdir?: string;
  /** Image override (tests skip staging the repo as a Docker context). */
  readonly image?: ecs.ContainerImage;
}

/** The app with its one stack (`Reelgate-<stage>`) and the AWS Solutions checks registered. */
export function createApp(options: CreateAppOptions = {}): {
  app: App;
  stack: ReelgateStack;
  config: ReelgateConfig;
} {
  const app = new App({ context: options.context, outdir: options.outdir });
  const config = loadConfig((key) => app.node.tryGetContext(key), {
    defaultSiteDir,
    siteDirExists: existsSync,
  });
  const stack = new ReelgateStack(app, `Reelgate-${config.stage}`, {
    // No account: the stack stays account-agnostic, so synth needs no credentials.
    env: { account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT, region: config.region },
    description: `Reelgate members-only video portal (${config.stage})`,
    config,
    repoRoot,
    viewerRequestFunctionFile,
    image: options.image,
    tags: { app: "reelgate", stage: config.stage },
  });
  // Unacknowledged findings fail synthesis; each acknowledgement carries its reason.
  Validations.of(app).addPlugins(awsSolutionsChecks());
  return { app, stack, config };
}
