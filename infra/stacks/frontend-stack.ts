import { existsSync } from 'node:fs';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { repoPath } from '../constructs/paths.ts';
import { acknowledge, acknowledgeCdkSingletons } from '../nag.ts';
import type { Profile } from '../profile.ts';

export interface FrontendStackProps extends StackProps {
  profile: Profile;
  /** The distribution's web ACL (a CLOUDFRONT-scope ARN), built in this stack's scope. */
  webAcl?: (scope: Construct) => string;
}

const DIST = repoPath('frontend', 'dist');

/**
 * The SPA: a private bucket behind CloudFront (`aws`), or an S3 website (`localstack`, which has no
 * CloudFront). `frontend/dist` is uploaded when it has been built. SEAM: its origin must be added to
 * the API's CORS origins (`-c corsOrigins=...`); the SPA is built with the API URL (TixApi output).
 */
export class FrontendStack extends Stack {
  constructor(scope: Construct, id: string, props: FrontendStackProps) {
    super(scope, id, props);
    const local = props.profile.name === 'localstack';

    const bucket = local
      ? new s3.Bucket(this, 'Site', {
          websiteIndexDocument: 'index.html',
          websiteErrorDocument: 'index.html',
          publicReadAccess: true,
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS,
        })
      : new s3.Bucket(this, 'Site', {
          blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
          encryption: s3.BucketEncryption.S3_MANAGED,
          enforceSSL: true,
        });

    const distribution = local
      ? undefined
      : new cloudfront.Distribution(this, 'Cdn', {
          webAclId: props.webAcl?.(this),
          defaultBehavior: {
            origin: S3BucketOrigin.withOriginAccessControl(bucket),
            viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          },
          defaultRootObject: 'index.html',
          // Client-side routes: unknown keys serve the app shell.
          errorResponses: [403, 404].map((httpStatus) => ({
            httpStatus,
            responseHttpStatus: 200,
            responsePagePath: '/index.html',
            ttl: Duration.seconds(0),
          })),
        });

    if (existsSync(repoPath('frontend', 'dist', 'index.html'))) {
      new BucketDeployment(this, 'Deploy', {
        sources: [Source.asset(DIST)],
        destinationBucket: bucket,
        ...(distribution && { distribution, distributionPaths: ['/*'] }),
      });
    }

    acknowledgeFrontend(bucket, distribution);

    new CfnOutput(this, 'SiteUrl', {
      value: distribution ? `https://${distribution.distributionDomainName}` : bucket.bucketWebsiteUrl,
    });
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
    acknowledge(distribution, 'serves only the public SPA build; the API (with access logs and WAF) holds the data', 'AwsSolutions-CFR3');
    acknowledge(distribution, 'the default *.cloudfront.net certificate fixes the viewer TLS policy; a custom domain with its ACM certificate sets TLSv1.2_2021', 'AwsSolutions-CFR4');
  }
  acknowledgeCdkSingletons(Stack.of(bucket));
}
