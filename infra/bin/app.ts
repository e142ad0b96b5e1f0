/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy --all` (bundles every function with the local
 * esbuild; no Docker, no AWS lookups).
 *
 * Profiles (`-c profile=...`):
 *   aws (default)  VPC, RDS PostgreSQL 16, DocumentDB, ElastiCache Redis, CloudFront; secrets in
 *                  Secrets Manager; AUTH_FALLBACK=off (the Lambda authorizer decides).
 *   localstack     Same API and functions, out of any VPC, AUTH_FALLBACK=on (LocalStack's free tier
 *                  runs no authorizers), AWS_ENDPOINT_URL=http://localhost.localstack.cloud:4566.
 *                  It has no RDS, DocumentDB, ElastiCache or CloudFront: those stores run beside it
 *                  (infra/localstack/compose.yaml) and are passed as plain URLs (defaults: the
 *                  compose services `postgres`, `mongodb`, `redis`, which its Lambda containers resolve):
 *                    -c idmDatabaseUrl=postgres://...  -c eventsDatabaseUrl=postgres://...
 *                    -c mongodbUrl=mongodb://...       -c redisUrl=redis://...
 *                  `npm run localstack:up`, then `npm run localstack:deploy` (cdklocal, bootstrap included).
 *
 * Stages (aws profile): -c stage=dev (default: small, cheap) or -c stage=prod (highly available).
 *
 * Both: -c corsOrigins=https://a,https://b (default http://localhost:3000,http://localhost:5173);
 *       -c publicBaseUrl=https://api.example.com (default: the API's execute-api URL, stage `api`).
 */
import { App } from 'aws-cdk-lib';
import { addNagChecks } from '../nag.ts';
import { buildTix } from '../stacks/tix.ts';

const app = new App();
buildTix(app);
// A finding nobody acknowledged (with a reason, beside its resource) fails synth and deploy.
addNagChecks(app);
app.synth();
