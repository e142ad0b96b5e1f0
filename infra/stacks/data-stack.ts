import { Duration, Fn, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { acknowledge, acknowledgeCdkSingletons } from '../nag.ts';
import type { LocalStores, Profile, StageName } from '../profile.ts';

/** What a function needs to use one store: environment variables, secrets to read, other grants. */
export interface Binding {
  env: Record<string, string>;
  secrets: ISecret[];
  grant?: (grantee: IGrantable) => void;
}

/**
 * THE seam between the data stack and the API stack. Variable names follow shared/kernel/config.ts:
 * a plain `NAME`, or `NAME_SECRET_ARN` for a value kept in Secrets Manager.
 */
export interface DataStores {
  /** Set when the stores live in a VPC: functions using them run there with this security group. */
  network?: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup };
  jwt: Binding;
  serviceAccount: Binding;
  idmDatabase: Binding;
  eventsDatabase: Binding;
  mongodb: Binding;
  redis: Binding;
  /** DynamoDB table of idempotency records (purchases). */
  idempotency: Binding;
  /** The seeded admin's credentials (read only by the migration function, which seeds it). */
  admin: Binding;
}
export type Store = Exclude<keyof DataStores, 'network'>;
type Shared = 'jwt' | 'serviceAccount' | 'idempotency' | 'admin';

export interface DataStackProps extends StackProps {
  profile: Profile;
}

export const IDM_DB_NAME = 'idm';
export const EVENTS_DB_NAME = 'event_manager';
const DOCDB_USER = 'tix';
const SERVICE_ACCOUNT_EMAIL = 'clients_service@system.local';
const ADMIN_EMAIL = 'admin@tix.local';
/** Every ASCII punctuation character but `-._`: keeps a generated password usable inside a URL. */
const URL_UNSAFE = '!"#$%&\'()*+,/:;<=>?@[\\]^`{|}~';

const DOCDB_VERSION = '5.0.0';

/** What a stage buys (README, Deploying: what each costs and protects against). */
export interface Sizing {
  natGateways: number;
  postgresInstance: ec2.InstanceType;
  multiAz: boolean;
  maxStorageGiB: number;
  backupRetention: Duration;
  /** Deletion protection on the databases. */
  keep: boolean;
  databaseRemoval: RemovalPolicy;
  /** The databases' secrets: kept whenever their database (or its final snapshot) is. */
  secretRemoval: RemovalPolicy;
  rotateMasterSecret: boolean;
  documentInstances: number;
  redisNodes: number;
  logRetention: RetentionDays;
}

export const SIZING: Record<StageName, Sizing> = {
  dev: {
    natGateways: 1,
    postgresInstance: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    multiAz: false,
    maxStorageGiB: 40,
    backupRetention: Duration.days(1),
    keep: false,
    databaseRemoval: RemovalPolicy.SNAPSHOT,
    secretRemoval: RemovalPolicy.RETAIN,
    rotateMasterSecret: false,
    documentInstances: 1,
    redisNodes: 1,
    logRetention: RetentionDays.ONE_WEEK,
  },
  prod: {
    natGateways: 2,
    postgresInstance: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
    multiAz: true,
    maxStorageGiB: 200,
    backupRetention: Duration.days(7),
    keep: true,
    databaseRemoval: RemovalPolicy.SNAPSHOT,
    secretRemoval: RemovalPolicy.RETAIN,
    rotateMasterSecret: true,
    documentInstances: 2,
    redisNodes: 2,
    logRetention: RetentionDays.ONE_MONTH,
  },
};

/**
 * Secrets and the idempotency table (DynamoDB), and in the `aws` profile the network and the
 * stores: RDS PostgreSQL 16 (databases `idm` and `event_manager`), DocumentDB (user profiles),
 * ElastiCache Redis (token blacklist, login throttling), sized by the stage (SIZING). In the
 * `localstack` profile the stores are connection URLs.
 */
export class DataStack extends Stack {
  readonly stores: DataStores;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const local = props.profile.localStores;
    this.stores = { ...this.everywhere(), ...(local ? urlStores(local) : this.awsStores(SIZING[props.profile.stage])) };
    // The retention of the databases' exported logs is applied by a CDK function.
    acknowledgeCdkSingletons(this);
  }

  /** Secrets Manager and DynamoDB work on LocalStack too: both profiles have these. */
  private everywhere(): Pick<DataStores, Shared> {
    const jwt = new Secret(this, 'JwtSecret', {
      description: 'HS256 signing key of the platform tokens (JWT_SECRET)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const serviceAccount = new Secret(this, 'ServiceAccountSecret', {
      description: 'Service account the user service calls the event manager with',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ email: SERVICE_ACCOUNT_EMAIL }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
      },
    });
    const admin = new Secret(this, 'AdminSecret', {
      description: 'The seeded admin (admins are never registered)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ email: ADMIN_EMAIL }),
        generateStringKey: 'password',
        passwordLength: 32,
        excludePunctuation: true,
      },
    });
    // Key and TTL attribute are the defaults of @aws-lambda-powertools/idempotency.
    const idempotency = new dynamodb.Table(this, 'IdempotencyTable', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiration',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    acknowledge(
      jwt,
      'rotating the signing key would log every user out at once; it changes with the move to ES256 key pairs published as a JWKS (issue 13)',
      'AwsSolutions-SMG4',
    );
    acknowledge(
      serviceAccount,
      'the migration function sets this password on every deploy: rotate by deploying after `aws secretsmanager put-secret-value` (README, Deploying)',
      'AwsSolutions-SMG4',
    );
    acknowledge(admin, 'the seeded admin password is set by the migration function; rotate it as the service account password (README)', 'AwsSolutions-SMG4');
    return {
      idempotency: {
        env: { IDEMPOTENCY_TABLE: idempotency.tableName },
        secrets: [],
        grant: (fn) => idempotency.grantReadWriteData(fn),
      },
      jwt: { env: { JWT_SECRET_SECRET_ARN: jwt.secretArn }, secrets: [jwt] },
      admin: { env: { ADMIN_PASSWORD_SECRET_ARN: admin.secretArn, ADMIN_EMAIL }, secrets: [admin] },
      serviceAccount: {
        env: { SERVICE_ACCOUNT_PASSWORD_SECRET_ARN: serviceAccount.secretArn, SERVICE_ACCOUNT_EMAIL },
        secrets: [serviceAccount],
      },
    };
  }

  private awsStores(sizing: Sizing): Omit<DataStores, Shared> {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      // VPC functions reach Secrets Manager and the API's public URL (service-to-service calls)
      // through NAT: one in dev, one per availability zone in prod (an AZ outage keeps egress).
      natGateways: sizing.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });
    // Every accepted and rejected flow, for incident forensics.
    vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new LogGroup(this, 'FlowLogGroup', { retention: sizing.logRetention, removalPolicy: RemovalPolicy.DESTROY }),
      ),
    });
    // Free gateway endpoint: DynamoDB traffic of VPC functions skips the NAT.
    vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const dataSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    // Defined here, beside the stores it may reach, so the API stack only attaches it (no cross-stack cycle).
    const securityGroup = new ec2.SecurityGroup(this, 'AppSecurityGroup', {
      vpc,
      description: 'Functions allowed to reach the data stores',
    });

    const postgres = new rds.DatabaseInstance(this, 'Postgres', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: sizing.postgresInstance,
      vpc,
      vpcSubnets: dataSubnets,
      credentials: rds.Credentials.fromGeneratedSecret('tix'),
      // The second database (event_manager) is created by the migrations.
      databaseName: IDM_DB_NAME,
      multiAz: sizing.multiAz,
      storageType: rds.StorageType.GP3,
      allocatedStorage: 20,
      maxAllocatedStorage: sizing.maxStorageGiB,
      storageEncrypted: true,
      backupRetention: sizing.backupRetention,
      deletionProtection: sizing.keep,
      removalPolicy: sizing.databaseRemoval,
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: sizing.logRetention,
      iamAuthentication: true,
    });
    postgres.connections.allowDefaultPortFrom(securityGroup);
    acknowledge(postgres, 'reachable only from the functions\' security group in isolated subnets: a non-default port adds nothing', 'AwsSolutions-RDS11');
    if (!sizing.multiAz) acknowledge(postgres, 'dev stage: one AZ by design (cost); -c stage=prod is Multi-AZ', 'AwsSolutions-RDS3');
    if (!sizing.keep) acknowledge(postgres, 'dev stage: deletable by design (a final snapshot is still taken); -c stage=prod is protected', 'AwsSolutions-RDS10');
    if (!sizing.rotateMasterSecret) acknowledge(postgres, 'dev stage: no rotation (its hosted function costs a NAT path and a Lambda); -c stage=prod rotates every 30 days', 'AwsSolutions-SMG4');
    const dbSecret = postgres.secret!;
    // Kept whenever the database (or its final snapshot) is: a snapshot is useless without its password.
    // (`postgres.secret` is the attachment to the instance: the secret itself is its child.)
    (postgres.node.findChild('Secret') as Secret).applyRemovalPolicy(sizing.secretRemoval);
    if (sizing.rotateMasterSecret) {
      // The hosted rotation function needs Secrets Manager: it runs where the functions do (egress).
      postgres.addRotationSingleUser({
        automaticallyAfter: Duration.days(30),
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
    }

    const documents = new docdb.DatabaseCluster(this, 'DocumentDb', {
      masterUser: { username: DOCDB_USER, excludeCharacters: URL_UNSAFE },
      engineVersion: DOCDB_VERSION,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      instances: sizing.documentInstances,
      vpc,
      vpcSubnets: dataSubnets,
      storageEncrypted: true,
      backup: { retention: sizing.backupRetention },
      deletionProtection: sizing.keep,
      removalPolicy: sizing.databaseRemoval,
      // The exports only carry what the parameter group turns on.
      parameterGroup: new docdb.ClusterParameterGroup(this, 'DocumentDbParameters', {
        family: `docdb${DOCDB_VERSION.split('.').slice(0, 2).join('.')}`,
        description: 'TLS on; audit and profiler logs on',
        parameters: { tls: 'enabled', audit_logs: 'enabled', profiler: 'enabled', profiler_threshold_ms: '200' },
      }),
      exportAuditLogsToCloudWatch: true,
      exportProfilerLogsToCloudWatch: true,
      cloudWatchLogsRetention: sizing.logRetention,
    });
    documents.connections.allowDefaultPortFrom(securityGroup);
    acknowledge(documents, 'reachable only from the functions\' security group in isolated subnets: a non-default port adds nothing', 'AwsSolutions-DOC2');
    acknowledge(
      documents,
      'the connection string (MongodbUrlSecret) is composed from this secret at deploy time: rotating one would stale the other; rotate both by a deploy',
      'AwsSolutions-DOC3',
      'AwsSolutions-SMG4',
    );
    acknowledge(
      documents,
      'DocumentDB exports only `audit` and `profiler` (both on, audit_logs=enabled records authenticate, createIndex and dropCollection events); these names are not export types',
      'AwsSolutions-DOC5[LogExport::authenticate]',
      'AwsSolutions-DOC5[LogExport::createIndex]',
      'AwsSolutions-DOC5[LogExport::dropCollection]',
    );
    if (sizing.backupRetention.toDays() < 7) acknowledge(documents, 'dev stage: 1-day backups (cost); -c stage=prod keeps 7 days', 'AwsSolutions-DOC4');
    // config.ts reads one connection string: compose it at deploy time from the cluster's secret
    // (dynamic references, never in the template in clear). TLS is on but unverified, like the
    // Postgres default `sslmode=no-verify`, until the functions ship the RDS CA bundle.
    const docSecret = documents.secret!;
    (documents.node.findChild('Secret') as Secret).applyRemovalPolicy(sizing.secretRemoval);
    const mongodbUrl = new Secret(this, 'MongodbUrlSecret', {
      description: 'DocumentDB connection string (MONGODB_URL)',
      secretStringValue: SecretValue.unsafePlainText(
        Fn.join('', [
          `mongodb://${DOCDB_USER}:`,
          docSecret.secretValueFromJson('password').unsafeUnwrap(),
          '@',
          documents.clusterEndpoint.socketAddress,
          '/?tls=true&tlsAllowInvalidCertificates=true&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false',
        ]),
      ),
    });
    mongodbUrl.applyRemovalPolicy(sizing.secretRemoval);
    acknowledge(mongodbUrl, 'derived from the DocumentDB secret at deploy time (see DocumentDb): it changes with it, by a deploy', 'AwsSolutions-SMG4');

    const redisSecurityGroup = new ec2.SecurityGroup(this, 'RedisSecurityGroup', { vpc, description: 'Redis' });
    redisSecurityGroup.addIngressRule(securityGroup, ec2.Port.tcp(6379), 'functions');
    const redisSubnets = new elasticache.CfnSubnetGroup(this, 'RedisSubnets', {
      description: 'Redis subnets',
      subnetIds: vpc.selectSubnets(dataSubnets).subnetIds,
    });
    const redis = new elasticache.CfnReplicationGroup(this, 'Redis', {
      replicationGroupDescription: 'Token blacklist and login throttling',
      engine: 'redis',
      engineVersion: '7.1',
      cacheNodeType: 'cache.t4g.micro',
      // prod: a replica in the other AZ, promoted automatically.
      numCacheClusters: sizing.redisNodes,
      automaticFailoverEnabled: sizing.redisNodes > 1,
      multiAzEnabled: sizing.redisNodes > 1,
      snapshotRetentionLimit: sizing.backupRetention.toDays(),
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSecurityGroup.securityGroupId],
    });

    acknowledge(redis, 'reachable only from the functions\' security group in isolated subnets: a non-default port adds nothing', 'AwsSolutions-AEC5');
    acknowledge(redis, 'TLS in transit and at rest; user authentication (RBAC) arrives with issue 13 (the `cloud` branch)', 'AwsSolutions-AEC6');
    if (sizing.redisNodes < 2) acknowledge(redis, 'dev stage: one node by design (cost); -c stage=prod adds a replica in another AZ', 'AwsSolutions-AEC4');

    return {
      network: { vpc, securityGroup },
      idmDatabase: { env: { DB_SECRET_ARN: dbSecret.secretArn, IDM_DB_NAME }, secrets: [dbSecret] },
      eventsDatabase: { env: { DB_SECRET_ARN: dbSecret.secretArn, EVENTS_DB_NAME }, secrets: [dbSecret] },
      mongodb: { env: { MONGODB_URL_SECRET_ARN: mongodbUrl.secretArn }, secrets: [mongodbUrl] },
      // `rediss://`: in-transit encryption is on, and ioredis turns TLS on for that scheme.
      redis: { env: { REDIS_URL: `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}` }, secrets: [] },
    };
  }
}

/** LocalStack: the stores it lacks run beside it, given as plain URLs. */
function urlStores(local: LocalStores): Omit<DataStores, Shared> {
  const plain = (env: Record<string, string>): Binding => ({ env, secrets: [] });
  return {
    idmDatabase: plain({ IDM_DATABASE_URL: local.idmDatabaseUrl }),
    eventsDatabase: plain({ EVENTS_DATABASE_URL: local.eventsDatabaseUrl }),
    mongodb: plain({ MONGODB_URL: local.mongodbUrl }),
    redis: plain({ REDIS_URL: local.redisUrl }),
  };
}
