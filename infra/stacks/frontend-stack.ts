import { existsSync, readFileSync } from 'node:fs';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { repoPath } from '../constructs/paths.ts';
import { acknowledge, acknowledgeCdkFunction, acknowledgeCdkSingletons } from '../nag.ts';
import type { Profile } from '../profile.ts';

/** Where the API answers: API Gateway's domain and the stage its paths sit under. */
export interface ApiOrigin {
  domainName: string;
  stage: string;
}

export interface FrontendStackProps extends StackProps {
  profile: Profile;
  /** The API behind the same distribution (cloud profile). */
  api?: ApiOrigin;
  /** The stage written into config.json. */
  stage?: string;
  /** The distribution's web ACL (a CLOUDFRONT-scope ARN), built in this stack's scope. */
  webAcl?: (scope: Construct) => string;
}

/** The built app (`npm run build:web`); context `webDist` points elsewhere (tests). */
const DEFAULT_DIST = repoPath('frontend', 'dist');

/** Paths CloudFront sends to API Gateway (shared/routes.ts API_PREFIXES, as CloudFront patterns). */
export const API_PATH_PATTERNS = ['/api/*', '/idm.IdentityService/*', '/health'] as const;

/**
 * Client-side routes → the app shell, at the edge: a viewer request whose last segment has no dot
 * is a route of the SPA, not a file. Only the bucket's behaviour runs it, so the API's own 403/404
 * stay JSON (distribution-wide error pages would turn them into HTML).
 */
export const SPA_ROUTER_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/** What the app loads: itself, the API on the same origin, QR codes as inline SVG. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The web app. Cloud: one CloudFront distribution in front of a private bucket (origin access
 * control) and of the API (same origin: no CORS), security headers on every answer, hashed assets
 * cached for a year, index.html and config.json never. LocalStack (no CloudFront there): an S3
 * website bucket. `frontend/dist` is uploaded when it has been built (`npm run build:web`).
 */
export class FrontendStack extends Stack {
  readonly distribution?: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: FrontendStackProps) {
    super(scope, id, props);
    const local = props.profile.name === 'localstack';

    if (local) {
      const site = new s3.Bucket(this, 'Site', {
        websiteIndexDocument: 'index.html',
        websiteErrorDocument: 'index.html',
        publicReadAccess: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS,
      });
      this.deploy(site, undefined, props);
      acknowledgeFrontend(site, undefined);
      new CfnOutput(this, 'SiteUrl', { value: site.bucketWebsiteUrl });
      return;
    }

    const bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Tix: security headers of the web app',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        contentTypeOptions: { override: true },
      },
    });

    const spaRouter = new cloudfront.Function(this, 'SpaRouter', {
      code: cloudfront.FunctionCode.fromInline(SPA_ROUTER_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Client-side routes of the web app → /index.html',
    });

    const api = props.api;
    const apiBehavior: cloudfront.BehaviorOptions | undefined = api && {
      origin: new HttpOrigin(api.domainName, { originPath: `/${api.stage}`, protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      // Nothing of the API is cached (answers depend on the token); every viewer header but Host
      // reaches API Gateway, Authorization and Idempotency-Key included.
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };

    this.distribution = new cloudfront.Distribution(this, 'Cdn', {
      comment: 'Tix: web app and API on one origin',
      webAclId: props.webAcl?.(this),
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: spaRouter, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: apiBehavior ? Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])) : {},
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    });

    this.deploy(bucket, this.distribution, props);
    acknowledgeFrontend(bucket, this.distribution);
    new CfnOutput(this, 'SiteUrl', { value: `https://${this.distribution.distributionDomainName}` });
  }

  /**
   * Two uploads: hashed assets, immutable for a year and never pruned (a browser holding the old
   * index.html still finds its chunks); then index.html and the runtime config.json, never cached,
   * with an invalidation of exactly those two paths.
   */
  private deploy(bucket: s3.IBucket, distribution: cloudfront.IDistribution | undefined, props: FrontendStackProps) {
    const dist = (this.node.tryGetContext('webDist') as string | undefined) ?? DEFAULT_DIST;
    if (!existsSync(`${dist}/index.html`)) return;
    const assets = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(dist, { exclude: ['index.html', 'config.json', '.vite'] })],
      destinationBucket: bucket,
      prune: false,
      cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
    });
    const config = { apiBaseUrl: '', stage: props.stage ?? props.profile.name };
    const shell = new BucketDeployment(this, 'Shell', {
      sources: [Source.data('index.html', readFileSync(`${dist}/index.html`, 'utf8')), Source.jsonData('config.json', config)],
      destinationBucket: bucket,
      prune: false,
      cacheControl: [CacheControl.noCache(), CacheControl.mustRevalidate()],
      ...(distribution && { distribution, distributionPaths: ['/index.html', '/config.json'] }),
    });
    shell.node.addDependency(assets);
    // The copying function CDK adds once per stack for BucketDeployment: its role reads CDK's asset
    // bucket and writes the site bucket with CDK's own grants.
    const copier = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    const site = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    if (copier) {
      acknowledgeCdkFunction(
        copier,
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => `AwsSolutions-IAM5[Action::${action}]`),
        `AwsSolutions-IAM5[Resource::<${site}.Arn>/*]`,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        'AwsSolutions-IAM5[Resource::*]',
      );
    }
  }
}

/** cdk-nag findings of the SPA's resources, acknowledged with their reasons. */
function acknowledgeFrontend(bucket: s3.Bucket, distribution: cloudfront.Distribution | undefined) {
  if (!distribution) {
    acknowledge(
      bucket,
      'localstack profile: LocalStack has no CloudFront, so the SPA (public files only) is an S3 website over plain HTTP',
      'AwsSolutions-S2',
      'AwsSolutions-S5',
      'AwsSolutions-S10',
    );
  }
  acknowledge(bucket, 'holds only the public build of the SPA (no user data); CloudFront serves it, so its request metrics are the record', 'AwsSolutions-S1');
  if (distribution) {
    acknowledge(distribution, 'a ticketing platform sells to any country: no geo restriction', 'AwsSolutions-CFR1');
    acknowledge(distribution, 'the SPA build is public; the API behind it keeps its own access logs in API Gateway (and WAF logs), so CloudFront logs would only duplicate them', 'AwsSolutions-CFR3');
    acknowledge(distribution, 'the default *.cloudfront.net certificate fixes the viewer TLS policy; a custom domain with its ACM certificate sets TLSv1.2_2021', 'AwsSolutions-CFR4');
  }
  acknowledgeCdkSingletons(Stack.of(bucket));
}
