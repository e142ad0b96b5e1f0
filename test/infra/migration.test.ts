import { describe, expect, it } from 'vitest';
import { resourcesOf, synthTix } from './synth.ts';

describe('schema migration on deploy', () => {
  for (const profile of ['aws', 'localstack']) {
    it(`${profile}: a custom resource runs ops/migrate with the database, service-account, admin and profile-store settings`, () => {
      const { templates } = synthTix({ profile });
      const custom = Object.values(resourcesOf(templates.api, 'AWS::CloudFormation::CustomResource'));
      expect(custom).toHaveLength(1);
      expect(custom[0]!.Properties.migrations).toMatch(/^[0-9a-f]{16}$/);
      expect(custom[0]!.Properties.seeded).toContain('admin profile');

      const functions = Object.values(resourcesOf(templates.api, 'AWS::Lambda::Function'));
      const migrate = functions.find((f) => f.Properties.Environment?.Variables?.MIGRATIONS_DIR);
      expect(migrate, 'the migration function').toBeDefined();
      const env = Object.keys(migrate!.Properties.Environment.Variables);
      expect(env).toEqual(expect.arrayContaining(['ADMIN_PASSWORD_SECRET_ARN', 'ADMIN_EMAIL', 'SERVICE_ACCOUNT_PASSWORD_SECRET_ARN']));
      // The admin's profile is seeded in the profile store.
      expect(env).toEqual(expect.arrayContaining([profile === 'aws' ? 'MONGODB_URL_SECRET_ARN' : 'MONGODB_URL']));
      expect(env).toEqual(expect.arrayContaining(profile === 'aws' ? ['DB_SECRET_ARN', 'IDM_DB_NAME', 'EVENTS_DB_NAME'] : ['IDM_DATABASE_URL', 'EVENTS_DATABASE_URL']));
    });
  }

  it('the API functions depend on the migrated schema (their service stacks wait for it)', () => {
    const { templates, services } = synthTix();
    const customId = Object.keys(resourcesOf(templates.api, 'AWS::CloudFormation::CustomResource'))[0]!;
    const nested = Object.values(resourcesOf(templates.api, 'AWS::CloudFormation::Stack'));
    expect(nested).toHaveLength(services.length);
    for (const stack of nested) expect((stack as unknown as { DependsOn?: string[] }).DependsOn ?? []).toContain(customId);
    const inParent = Object.values(resourcesOf(templates.api, 'AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.PUBLIC_BASE_URL);
    expect(inParent).toEqual([]);
    const handlers = services.flatMap((s) => Object.values(resourcesOf(s.template, 'AWS::Lambda::Function')));
    expect(handlers.filter((f) => f.Properties.Environment?.Variables?.PUBLIC_BASE_URL).length).toBeGreaterThan(40);
  });
});
