import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { resourcesOf, synthTix } from './synth.ts';

type WithPolicies = { DeletionPolicy?: string; UpdateReplacePolicy?: string };

describe('stages of the aws profile', () => {
  const dev = synthTix().templates.data;
  const prod = synthTix({ stage: 'prod' }).templates.data;

  it('dev (default) is small: one NAT, single-AZ PostgreSQL, one DocumentDB instance', () => {
    dev.resourceCountIs('AWS::EC2::NatGateway', 1);
    dev.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.t4g.micro',
      MultiAZ: false,
      StorageType: 'gp3',
      BackupRetentionPeriod: 1,
      DeletionProtection: false,
    });
    dev.resourceCountIs('AWS::DocDB::DBInstance', 1);
    dev.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('prod is highly available: NAT per AZ, Multi-AZ gp3 PostgreSQL with autoscaling storage, protection, 7-day backups, rotation', () => {
    prod.resourceCountIs('AWS::EC2::NatGateway', 2);
    prod.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: true,
      StorageType: 'gp3',
      AllocatedStorage: '20',
      MaxAllocatedStorage: 200,
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
      StorageEncrypted: true,
    });
    prod.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: Match.stringLikeRegexp('PostgresSecret') },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
  });

  it('prod: DocumentDB with two instances, 7-day backups, audit and profiler logs exported (and turned on)', () => {
    prod.resourceCountIs('AWS::DocDB::DBInstance', 2);
    prod.hasResourceProperties('AWS::DocDB::DBCluster', {
      BackupRetentionPeriod: 7,
      DeletionProtection: true,
      StorageEncrypted: true,
      EnableCloudwatchLogsExports: ['audit', 'profiler'],
    });
    prod.hasResourceProperties('AWS::DocDB::DBClusterParameterGroup', { Parameters: Match.objectLike({ audit_logs: 'enabled', profiler: 'enabled', tls: 'enabled' }) });
  });

  for (const [stage, backupDays] of [['dev', 1], ['prod', 7]] as const) {
    it(`${stage}: Redis is a replication group of a primary and a replica in another AZ, with automatic failover`, () => {
      const data = stage === 'dev' ? dev : prod;
      data.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      data.resourceCountIs('AWS::ElastiCache::CacheCluster', 0);
      data.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        SnapshotRetentionLimit: backupDays,
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
      });
    });
  }

  it('both: VPC flow logs; databases end in a snapshot and their secrets are kept', () => {
    for (const data of [dev, prod]) {
      data.resourceCountIs('AWS::EC2::FlowLog', 1);
      for (const type of ['AWS::RDS::DBInstance', 'AWS::DocDB::DBCluster']) {
        for (const db of Object.values(resourcesOf(data, type)) as unknown as WithPolicies[]) expect(db.DeletionPolicy, type).toBe('Snapshot');
      }
      const secrets = Object.entries(resourcesOf(data, 'AWS::SecretsManager::Secret')) as unknown as [string, WithPolicies][];
      const ofDatabases = secrets.filter(([id]) => /Postgres|DocumentDb|MongodbUrl/.test(id));
      expect(ofDatabases).toHaveLength(3);
      for (const [id, secret] of ofDatabases) expect(secret.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('names the stacks by stage, so that both fit in one account and region', () => {
    const names = (synth: ReturnType<typeof synthTix>) => Object.values(synth.stacks).flatMap((s) => (s && typeof s === 'object' && 'stackName' in s ? [s.stackName] : []));
    expect(names(synthTix()).sort()).toEqual(['TixApi', 'TixData', 'TixEdgeWaf', 'TixFrontend', 'TixObservability']);
    const prod = synthTix({ stage: 'prod' });
    expect(names(prod).sort()).toEqual(['TixProdApi', 'TixProdData', 'TixProdEdgeWaf', 'TixProdFrontend', 'TixProdObservability']);
    prod.templates.edge!.hasResourceProperties('AWS::SSM::Parameter', { Name: '/tix/prod/edge/web-acl-arn' });
  });

  it('rejects an unknown stage, and a prod stage of the localstack profile', () => {
    expect(() => synthTix({ stage: 'staging' })).toThrow(/stage/);
    expect(() => synthTix({ profile: 'localstack', stage: 'prod' })).toThrow(/stage/);
  });
});
