import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as docdb from 'aws-cdk-lib/aws-docdb';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/kernel/metrics.ts';
import type { Service } from '../../shared/routes.ts';
import { acknowledge } from '../nag.ts';
import type { ApiStack } from './api-stack.ts';
import type { DataStack } from './data-stack.ts';

/**
 * What an operator watches (docs/OPERATIONS.md): one CloudWatch dashboard and the alarms, on an SNS
 * topic with an optional e-mail subscription (`-c alarmEmail=ops@example.com`). Additive: it only
 * reads the other stacks' resources (by their construct ids in the data stack, so that stack stays
 * unchanged); a store that is not there (LocalStack) simply gets no widgets or alarms.
 */

export interface ObservabilityProps extends StackProps {
  api: ApiStack;
  data: DataStack;
  alarmEmail?: string;
}

/** Alarm thresholds; their meaning and what to do are in docs/OPERATIONS.md. */
export const THRESHOLDS = {
  /** Share of requests answered 5xx, over 5 minutes. */
  serverErrorRate: 0.01,
  /** API Gateway p99 latency, ms, over 5 minutes. */
  p99LatencyMs: 2_000,
  /** Share of PostgreSQL's max_connections in use. */
  dbConnectionsShare: 0.8,
} as const;

/** PostgreSQL's default max_connections: LEAST(memory / 9531392, 5000), by instance size. */
const PG_MEMORY_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
export function maxConnections(instanceClass: string): number {
  const gib = PG_MEMORY_GIB[instanceClass.split('.').at(-1)!];
  if (gib === undefined) throw new Error(`unknown PostgreSQL instance size: ${instanceClass}`);
  return Math.min(5000, Math.floor((gib * 1024 ** 3) / 9_531_392));
}

const tix = (metricName: string, service: string, statistic = 'Sum', period = Duration.minutes(1)) =>
  new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, statistic, period });

export class ObservabilityStack extends Stack {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id, props);
    const { api, data } = props;

    this.topic = new sns.Topic(this, 'Alarms', { displayName: 'Tix alarms', enforceSSL: true });
    acknowledge(this.topic, 'alarm notifications carry alarm names and states only; a customer key would also need a policy for CloudWatch', 'AwsSolutions-SNS2');
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));

    const gateway = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway', metricName, statistic, period: Duration.minutes(1),
        dimensionsMap: { ApiName: api.api.restApiName, Stage: api.stage.stageName },
      });
    const lambdaAccount = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName, statistic, period: Duration.minutes(1) });

    const postgres = data.node.tryFindChild('Postgres') as rds.DatabaseInstance | undefined;
    const documents = data.node.tryFindChild('DocumentDb') as docdb.DatabaseCluster | undefined;
    const redis = data.node.tryFindChild('Redis') as elasticache.CfnReplicationGroup | undefined;

    // ── alarms ──────────────────────────────────────────────────────────────────────────────
    this.alarm('ServerErrorRate', {
      metric: gateway('5XXError', 'Average').with({ period: Duration.minutes(5) }),
      threshold: THRESHOLDS.serverErrorRate,
      evaluationPeriods: 1,
      alarmDescription: 'More than 1 % of API requests answered 5xx over 5 minutes (docs/OPERATIONS.md#servererrorrate)',
    });
    this.alarm('LatencyP99', {
      metric: gateway('Latency', 'p99').with({ period: Duration.minutes(5) }),
      threshold: THRESHOLDS.p99LatencyMs,
      evaluationPeriods: 2,
      alarmDescription: 'API p99 latency over 2 s for 10 minutes (docs/OPERATIONS.md#latencyp99)',
    });
    this.alarm('FailedCompensation', {
      metric: tix('FailedCompensations', 'tix-users'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: 'A purchase could not be undone: a seat is sold to nobody (docs/OPERATIONS.md#failedcompensation)',
    });
    this.alarm('LambdaThrottles', {
      metric: lambdaAccount('Throttles').with({ period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      alarmDescription: 'Lambda refused invocations for lack of concurrency (docs/OPERATIONS.md#lambdathrottles)',
    });
    if (postgres) {
      const limit = maxConnections(String(data.resolve((postgres.node.defaultChild as rds.CfnDBInstance).dbInstanceClass)));
      this.alarm('DatabaseConnections', {
        metric: postgres.metricDatabaseConnections({ statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: Math.floor(limit * THRESHOLDS.dbConnectionsShare),
        evaluationPeriods: 3,
        alarmDescription: `PostgreSQL connections above 80 % of max_connections (${limit}) for 3 minutes (docs/OPERATIONS.md#databaseconnections)`,
      });
    }
    if (redis) {
      // The node created as primary (-001) is primary until a failover promotes a replica.
      this.alarm('RedisFailover', {
        metric: new cloudwatch.Metric({
          namespace: 'AWS/ElastiCache', metricName: 'IsMaster', statistic: 'Minimum', period: Duration.minutes(1),
          dimensionsMap: { CacheClusterId: `${redis.ref}-001`, CacheNodeId: '0001' },
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: 'Redis failed over: its first node is no longer the primary (docs/OPERATIONS.md#redisfailover)',
      });
    }

    // ── dashboard ───────────────────────────────────────────────────────────────────────────
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `tix-${Stack.of(api).stackName}`, defaultInterval: Duration.hours(3) });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) => new cloudwatch.GraphWidget({ title, left, width, height: 6 });
    const services = [...api.services.keys()];
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      graph('Requests', [gateway('Count', 'Sum')]),
      graph('4xx and 5xx', [gateway('4XXError', 'Sum'), gateway('5XXError', 'Sum')]),
      graph('API latency p50 / p99 (ms)', [gateway('Latency', 'p50'), gateway('Latency', 'p99')]),
    );
    this.dashboard.addWidgets(
      ...services.map((service) => graph(`${service}: duration p50 / p99 (ms)`, this.durations(api, service), 6)),
    );
    this.dashboard.addWidgets(
      graph('Sales per minute', [tix('TicketsSold', 'tix-events'), tix('TicketsCancelled', 'tix-events')]),
      graph('Sold-out refusals', [tix('SoldOutRefusals', 'tix-events')]),
      graph('Compensations', [tix('PurchaseCompensations', 'tix-users'), tix('FailedCompensations', 'tix-users'), tix('IdempotentReplays', 'tix-users')]),
    );
    this.dashboard.addWidgets(
      graph('Authorizer', [tix('AuthorizerAllows', 'tix-authorizer'), tix('AuthorizerDenies', 'tix-authorizer')]),
      graph('Logins', [tix('LoginsSucceeded', 'tix-idm'), tix('LoginsFailed', 'tix-idm'), tix('LoginsThrottled', 'tix-idm'), tix('TokensRevoked', 'tix-idm')]),
      graph('Lambda errors, throttles, concurrency', [lambdaAccount('Errors'), lambdaAccount('Throttles'), lambdaAccount('ConcurrentExecutions', 'Maximum')]),
    );
    const stores: cloudwatch.IWidget[] = [
      graph('Dependency errors by store', (['postgres', 'mongodb', 'redis', 'dynamodb', 'service-call'] as const).map(
        (store) => new cloudwatch.MathExpression({
          expression: `SUM(SEARCH('{${METRICS_NAMESPACE},service,store} MetricName="DependencyErrors" store="${store}"', 'Sum', 60))`,
          label: store, period: Duration.minutes(1),
        }),
      )),
    ];
    if (postgres) stores.push(graph('PostgreSQL connections and CPU', [postgres.metricDatabaseConnections(), postgres.metricCPUUtilization()]));
    if (documents) {
      const docdbMetric = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/DocDB', metricName, dimensionsMap: { DBClusterIdentifier: documents.clusterIdentifier }, statistic: 'Maximum', period: Duration.minutes(1) });
      stores.push(graph('DocumentDB connections and CPU', [docdbMetric('DatabaseConnections'), docdbMetric('CPUUtilization')]));
    }
    if (redis) {
      const redisMetric = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName, dimensionsMap: { CacheClusterId: `${redis.ref}-001` }, statistic: 'Maximum', period: Duration.minutes(1) });
      stores.push(graph('Redis: primary, connections, CPU', [redisMetric('IsMaster'), redisMetric('CurrConnections'), redisMetric('EngineCPUUtilization')]));
    }
    this.dashboard.addWidgets(...stores);
  }

  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>) {
    // Named after the stack: alarm names are unique per account and region, and both stages may share one.
    const alarm = new cloudwatch.Alarm(this, id, { alarmName: `${this.stackName}-${id}`, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...props });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }

  /** p50 and p99 of each function of a service. */
  private durations(api: ApiStack, service: Service): cloudwatch.IMetric[] {
    const fns = [...(api.services.get(service)?.functions.values() ?? [])] as lambda.IFunction[];
    return fns.flatMap((fn) => [fn.metricDuration({ statistic: 'p50' }), fn.metricDuration({ statistic: 'p99' })]);
  }
}
