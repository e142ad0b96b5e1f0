import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { maxConnections } from '../../infra/stacks/observability-stack.ts';
import { buildTix } from '../../infra/stacks/tix.ts';

process.env.CDK_VALIDATION ??= 'false';

function synth(context: Record<string, unknown> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stacks = buildTix(app);
  return { stacks, template: Template.fromStack(stacks.observability) };
}

const alarmsOf = (template: Template): Record<string, Record<string, any>> =>
  Object.fromEntries(Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => [String(a.Properties.AlarmName).replace(/^Tix(Prod)?Observability-/, 'tix-'), a.Properties]));

describe('observability stack (dashboard, alarms, SNS)', () => {
  const { template } = synth();
  const alarms = alarmsOf(template);

  it('alarms on the 5xx rate, p99 latency, failed compensations, Lambda throttles, database connections and a Redis failover', () => {
    expect(Object.keys(alarms).sort()).toEqual(
      ['tix-DatabaseConnections', 'tix-FailedCompensation', 'tix-LambdaThrottles', 'tix-LatencyP99', 'tix-RedisFailover', 'tix-ServerErrorRate'],
    );
    expect(alarms['tix-ServerErrorRate']).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Average', Threshold: 0.01, Period: 300 });
    expect(alarms['tix-LatencyP99']).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 2000 });
    expect(alarms['tix-FailedCompensation']).toMatchObject({
      Namespace: 'Tix', MetricName: 'FailedCompensations', Dimensions: [{ Name: 'service', Value: 'tix-users' }],
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Period: 60,
    });
    expect(alarms['tix-LambdaThrottles']).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Throttles', Threshold: 1 });
    // dev: db.t4g.micro → max_connections 112, alarm at 80 %.
    expect(alarms['tix-DatabaseConnections']).toMatchObject({ Namespace: 'AWS/RDS', MetricName: 'DatabaseConnections', Statistic: 'Maximum', Threshold: 89 });
    expect(alarms['tix-RedisFailover']).toMatchObject({ Namespace: 'AWS/ElastiCache', MetricName: 'IsMaster', ComparisonOperator: 'LessThanThreshold', Threshold: 1 });
    for (const alarm of Object.values(alarms)) {
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmActions).toHaveLength(1);
      expect(alarm.OKActions).toEqual(alarm.AlarmActions);
      expect(alarm.AlarmDescription).toMatch(/docs\/OPERATIONS\.md#/);
    }
  });

  it('notifies one SNS topic (TLS only); e-mail only with -c alarmEmail', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const withEmail = synth({ alarmEmail: 'ops@example.com' }).template;
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
  });

  it('has one dashboard with requests, errors, latency per service, sales, refusals, compensations, authorizer, Lambda and the stores', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]!.Properties.DashboardBody);
    for (const title of [
      'Requests', '4xx and 5xx', 'API latency p50 / p99', 'idm: duration', 'events: duration', 'users: duration', 'audit: duration',
      'Sales per minute', 'Sold-out refusals', 'Compensations', 'Authorizer', 'Logins', 'Lambda errors, throttles, concurrency',
      'Dependency errors by store', 'PostgreSQL connections', 'DocumentDB connections', 'Redis: primary',
    ]) expect(body, title).toContain(title);
    for (const metric of ['TicketsSold', 'SoldOutRefusals', 'PurchaseCompensations', 'FailedCompensations', 'AuthorizerDenies', 'ConcurrentExecutions', 'IsMaster']) {
      expect(body, metric).toContain(metric);
    }
  });

  it('names the alarms after the stage\'s stack, so that both stages fit in one account', () => {
    const names = (t: Template) => Object.values(t.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    expect(names(template)).toContain('TixObservability-ServerErrorRate');
    expect(names(synth({ stage: 'prod' }).template)).toContain('TixProdObservability-ServerErrorRate');
  });

  it('prod sizes the database alarm to the larger instance', () => {
    const prod = alarmsOf(synth({ stage: 'prod' }).template)['tix-DatabaseConnections'];
    expect(prod, JSON.stringify(prod)).toMatchObject({ Threshold: Math.floor(maxConnections('db.t4g.small') * 0.8) });
    expect(maxConnections('db.t4g.small')).toBe(225);
  });

  it('LocalStack: no stores to watch, the API alarms remain', () => {
    const local = alarmsOf(synth({ profile: 'localstack' }).template);
    expect(Object.keys(local).sort()).toEqual(['tix-FailedCompensation', 'tix-LambdaThrottles', 'tix-LatencyP99', 'tix-ServerErrorRate']);
  });
});
