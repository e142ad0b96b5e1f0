import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/nag.ts';
import { buildTix } from '../../infra/stacks/tix.ts';
import { fakeDist } from './synth.ts';

process.env.CDK_VALIDATION ??= 'false';

/**
 * Synthesizes the app (no bundling; with a built web app, so its upload is checked too) with the
 * cdk-nag packs; throws the report on any unacknowledged finding.
 */
function synthWithNag(context: Record<string, unknown>, extra?: (app: App) => void) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], webDist: fakeDist(), ...context } });
  buildTix(app);
  extra?.(app);
  addNagChecks(app);
  return app.synth();
}

const acknowledged = (app: App) =>
  app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((m) => Object.entries(m.data as Record<string, string>)));

describe('cdk-nag (AwsSolutions + Serverless) on every stage and profile', () => {
  for (const [name, context] of [
    ['aws dev', {}],
    ['aws prod', { stage: 'prod' }],
    ['localstack', { profile: 'localstack' }],
  ] as const) {
    it(`${name}: no unacknowledged finding`, () => {
      expect(() => synthWithNag(context)).not.toThrow();
    });
  }

  it('fails the synth on a finding nobody acknowledged', () => {
    const unlogged = (app: App) => new Bucket(new Stack(app, 'Extra'), 'Unlogged');
    expect(() => synthWithNag({}, unlogged)).toThrow(/AwsSolutions-S1/);
  });

  // Three synths with the schema validation (≈ 6 s each here, far more on a loaded machine).
  it("CloudFormation's own template validation finds nothing either (as errors, every stage and profile)", { timeout: 180_000 }, () => {
    const previous = process.env.CDK_VALIDATION;
    process.env.CDK_VALIDATION = 'true';
    try {
      for (const context of [{}, { stage: 'prod' }, { profile: 'localstack' }]) {
        const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': true, ...context } });
        buildTix(app);
        expect(() => app.synth(), JSON.stringify(context)).not.toThrow();
      }
    } finally {
      process.env.CDK_VALIDATION = previous;
    }
  });

  it('every acknowledgment states its reason', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    buildTix(app);
    const acks = acknowledged(app);
    expect(acks.length).toBeGreaterThan(10);
    for (const [id, reason] of acks) expect(String(reason).length, id).toBeGreaterThan(30);
  });
});
