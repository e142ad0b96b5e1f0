import { Fn, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { LocalStores, Profile } from '../profile.ts';

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

/**
 * Secrets and the idempotency table (DynamoDB), and in the `aws` profile the network and the
 * stores: RDS PostgreSQL 16 (one instance,
 * databases `idm` and `event_manager`), DocumentDB (user profiles), ElastiCache Redis (token
 * blacklist, login throttling). In the `localstack` profile the stores are connection URLs.
 */
export class DataStack extends Stack {
  readonly stores: DataStores;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const local = props.profile.localStores;
    this.stores = { ...this.everywhere(), ...(local ? urlStores(local) : this.awsStores()) };
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
    });
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

  private awsStores(): Omit<DataStores, Shared> {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      // One NAT: VPC functions reach Secrets Manager and the API's public URL (service-to-service calls).
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
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
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc,
      vpcSubnets: dataSubnets,
      credentials: rds.Credentials.fromGeneratedSecret('tix'),
      // The second database (event_manager) is created by the migrations.
      databaseName: IDM_DB_NAME,
      allocatedStorage: 20,
      storageEncrypted: true,
    });
    postgres.connections.allowDefaultPortFrom(securityGroup);
    const dbSecret = postgres.secret!;

    const documents = new docdb.DatabaseCluster(this, 'DocumentDb', {
      masterUser: { username: DOCDB_USER, excludeCharacters: URL_UNSAFE },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
      instances: 1,
      vpc,
      vpcSubnets: dataSubnets,
      storageEncrypted: true,
    });
    documents.connections.allowDefaultPortFrom(securityGroup);
    // config.ts reads one connection string: compose it at deploy time from the cluster's secret
    // (dynamic references, never in the template in clear). TLS is on but unverified, like the
    // Postgres default `sslmode=no-verify`, until the functions ship the RDS CA bundle.
    const docSecret = documents.secret!;
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
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: redisSubnets.ref,
      securityGroupIds: [redisSecurityGroup.securityGroupId],
    });

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
