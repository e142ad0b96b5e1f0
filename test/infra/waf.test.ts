import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EDGE_REGION, edgeWebAclParameter } from '../../infra/stacks/edge-waf-stack.ts';
import { MANAGED_RULE_GROUPS, RATE_LIMITED_PATHS, RATE_LIMITS } from '../../infra/constructs/web-acl.ts';
import { onApi, resourcesOf, synthTix } from './synth.ts';

type Rule = { Name: string; Priority: number; Statement: any; Action?: any };

/** WAF's regex engine is PCRE-like; these patterns use only what JavaScript's shares with it. */
const matches = (name: keyof typeof RATE_LIMITED_PATHS, uri: string) => new RegExp(RATE_LIMITED_PATHS[name]).test(decodeURIComponent(uri).toLowerCase());

describe('WAF', () => {
  const synth = synthTix();
  const aclOf = (template: (typeof synth.templates)[keyof typeof synth.templates] | undefined) => Object.values(resourcesOf(template!, 'AWS::WAFv2::WebACL'));

  for (const [where, scope] of [['api', 'REGIONAL'], ['edge', 'CLOUDFRONT']] as const) {
    it(`${scope}: managed common / known-bad-inputs / SQLi rules and per-address rate limits, tighter on login, registration, purchase`, () => {
      const [acl] = aclOf(synth.templates[where]);
      expect(acl!.Properties.Scope).toBe(scope);
      const rules = acl!.Properties.Rules as Rule[];
      const managed = rules.filter((r) => r.Statement.ManagedRuleGroupStatement).map((r) => r.Statement.ManagedRuleGroupStatement);
      expect(managed).toEqual(MANAGED_RULE_GROUPS.map((Name) => ({ VendorName: 'AWS', Name })));
      const rate = Object.fromEntries(rules.filter((r) => r.Statement.RateBasedStatement).map((r) => [r.Name, r]));
      for (const [name, limit] of Object.entries(RATE_LIMITS)) {
        expect(rate[`rate-${name}`]!.Statement.RateBasedStatement).toMatchObject({ Limit: limit, AggregateKeyType: 'IP', EvaluationWindowSec: 300 });
        expect(rate[`rate-${name}`]!.Action.Block.CustomResponse.ResponseCode).toBe(429);
      }
      expect(Math.max(RATE_LIMITS.login, RATE_LIMITS.register, RATE_LIMITS.purchase)).toBeLessThan(RATE_LIMITS.any / 10);
      expect(JSON.stringify(rate['rate-purchase']!.Statement)).toContain('"SearchString":"POST"');
      expect(new Set(rules.map((r) => r.Priority)).size).toBe(rules.length);
    });
  }

  it('the path patterns catch REST and RPC login / registration, and purchases, behind any stage prefix', () => {
    for (const uri of ['/api/api/idm/auth/login', '/api/idm/auth/login/', '/api/idm.IdentityService/Login', '/API/IDM/AUTH/LOGIN']) expect(matches('login', uri), uri).toBe(true);
    for (const uri of ['/api/idm/auth/register', '/idm.IdentityService/Register', '/api/idm/auth/%72egister']) expect(matches('register', uri), uri).toBe(true);
    expect(matches('purchase', '/api/api/user-manager/clients/42/tickets')).toBe(true);
    for (const uri of ['/api/idm/auth/logout', '/api/idm/auth/login/x', '/api/user-manager/clients/42/tickets/ABC', '/api/event-manager/events']) {
      expect(matches('login', uri) || matches('register', uri) || matches('purchase', uri), uri).toBe(false);
    }
  });

  it('guards the API stage (association) and the CloudFront distribution (ACL read across regions from us-east-1)', () => {
    const api = synth.templates.api;
    const [aclId] = Object.keys(resourcesOf(api, 'AWS::WAFv2::WebACL'));
    // The public stage (the private API's stage has none: internal-api.test.ts).
    const [stageId] = Object.keys(onApi(resourcesOf(api, 'AWS::ApiGateway::Stage'), synth.apiIds.public));
    api.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] },
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: stageId }])]) }),
    });
    expect(synth.stacks.edge!.region).toBe(EDGE_REGION);
    synth.templates.edge!.hasResourceProperties('AWS::SSM::Parameter', { Name: edgeWebAclParameter('dev') });
    const frontend = synth.templates.frontend;
    const [reader] = Object.entries(resourcesOf(frontend, 'Custom::AWS'));
    expect(JSON.stringify(reader![1].Properties)).toContain(`\\"region\\":\\"${EDGE_REGION}\\"`);
    frontend.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [reader![0], 'Parameter.Value'] } }),
    });
    expect(synth.stacks.frontend.dependencies).toContain(synth.stacks.edge);
  });

  it('is left out of the localstack profile (no WAF, no CloudFront there)', () => {
    const local = synthTix({ profile: 'localstack' });
    expect(local.stacks.edge).toBeUndefined();
    expect(aclOf(local.templates.api)).toEqual([]);
  });
});
