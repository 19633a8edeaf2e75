#!/usr/bin/env node
// CDK entry point (cdk.json "app"). Context keys are documented in DEPLOY.md.
import { createApp } from "../lib/create-app";

createApp();
