import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_PREFIXES } from '../../shared/routes.ts';
import { API_PATH_PATTERNS, SPA_ROUTER_CODE } from '../../infra/stacks/frontend-stack.ts';
import { fakeDist, resourcesOf, synthTix } from './synth.ts';

describe('web app in the cloud: one CloudFront distribution for the app and the API', () => {
  const { templates, stacks } = synthTix({ webDist: fakeDist() });
  const web = templates.frontend;
  const distribution = Object.values(resourcesOf(web, 'AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;

  it('a private bucket read through origin access control', () => {
    web.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject' })]) },
    });
    expect(distribution.Origins.find((o: any) => o.S3OriginConfig)?.OriginAccessControlId).toBeDefined();
  });

  it('API paths go to API Gateway, uncached, with every viewer header (Authorization) forwarded', () => {
    expect(API_PATH_PATTERNS.map((p) => p.replace(/\*$/, ''))).toEqual([...API_PREFIXES]);
    const behaviors = distribution.CacheBehaviors as any[];
    expect(behaviors.map((b) => b.PathPattern)).toEqual([...API_PATH_PATTERNS]);
    const apiOrigin = distribution.Origins.find((o: any) => o.CustomOriginConfig);
    expect(apiOrigin.OriginPath).toBe('/api');
    expect(JSON.stringify(apiOrigin.DomainName)).toContain('execute-api');
    for (const b of behaviors) {
      expect(b.TargetOriginId).toBe(apiOrigin.Id);
      expect(b.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
      expect(b.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // Managed-AllViewerExceptHostHeader
      expect(b.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']));
      expect(b.FunctionAssociations).toBeUndefined();
    }
    expect(stacks.frontend.dependencies).toContain(stacks.api);
  });

  it('client routes are rewritten by a CloudFront Function on the app only; no distribution-wide error pages', () => {
    expect(distribution.CustomErrorResponses).toBeUndefined();
    web.hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }) });
    expect(distribution.DefaultCacheBehavior.FunctionAssociations).toEqual([
      expect.objectContaining({ EventType: 'viewer-request' }),
    ]);
    // the function itself: routes → /index.html, files stay files
    const route = (uri: string) => new Function(`${SPA_ROUTER_CODE}; return handler({ request: { uri: ${JSON.stringify(uri)} } }).uri;`)() as string;
    expect(route('/events/12')).toBe('/index.html');
    expect(route('/manage/packets/3')).toBe('/index.html');
    expect(route('/')).toBe('/index.html');
    expect(route('/assets/index-AbC123.js')).toBe('/assets/index-AbC123.js');
    expect(route('/config.json')).toBe('/config.json');
  });

  it('security headers on the app: CSP, HSTS, frame-ancestors, referrer policy', () => {
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: {
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: { ContentSecurityPolicy: Match.stringLikeRegexp("frame-ancestors 'none'"), Override: true },
          StrictTransportSecurity: Match.objectLike({ AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true }),
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      },
    });
    expect(distribution.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  });

  it('two uploads: hashed assets immutable for a year; index.html and config.json never cached, invalidated', () => {
    const deployments = Object.values(resourcesOf(web, 'Custom::CDKBucketDeployment')).map((r) => r.Properties);
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((d) => !d.DistributionId)!;
    const shell = deployments.find((d) => d.DistributionId)!;
    expect(assets.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
    expect(assets.Prune).toBe(false);
    expect(shell.SystemMetadata).toEqual({ 'cache-control': 'no-cache, must-revalidate' });
    expect(shell.DistributionPaths).toEqual(['/index.html', '/config.json']);
    expect(shell.SourceObjectKeys).toHaveLength(2); // index.html, config.json
    expect(assets.SourceObjectKeys).toHaveLength(1); // the build without them
  });
});

describe('web app on LocalStack: a website bucket, no CloudFront', () => {
  const { templates } = synthTix({ profile: 'localstack', mongodbUrl: 'mongodb://mongo.test:27017/user_service', webDist: fakeDist() });
  it('keeps the website bucket and uploads the app', () => {
    templates.frontend.resourceCountIs('AWS::CloudFront::Distribution', 0);
    templates.frontend.hasResourceProperties('AWS::S3::Bucket', { WebsiteConfiguration: { IndexDocument: 'index.html', ErrorDocument: 'index.html' } });
    templates.frontend.resourceCountIs('Custom::CDKBucketDeployment', 2);
  });
});
