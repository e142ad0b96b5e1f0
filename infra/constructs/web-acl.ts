import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** Requests one client address may make per 5 minutes: everywhere, and on the paths abuse targets. */
export const RATE_LIMITS = {
  /** any path: a busy person clicking through the SPA and the API stays far below */
  any: 2000,
  /** log in (REST and RPC): credential stuffing */
  login: 30,
  /** register (REST and RPC): account farming */
  register: 10,
  /** buy a ticket: seat hoarding by scripts */
  purchase: 60,
} as const;
export const RATE_WINDOW_SECONDS = 300;

/** AWS managed rule groups, in priority order: OWASP-style common rules, known bad inputs, SQL injection. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet'] as const;

/**
 * Path patterns (lower-cased, URL-decoded URI; any prefix, so a stage name or a CloudFront path in
 * front still matches; an optional trailing slash, which the local gateway accepts too).
 */
export const RATE_LIMITED_PATHS = {
  login: '(/idm/auth/login|/idm\\.identityservice/login)/?$',
  register: '(/idm/auth/register|/idm\\.identityservice/register)/?$',
  purchase: '/user-manager/clients/[^/]+/tickets/?$',
} as const;

export interface TixWebAclProps {
  /** `REGIONAL` for the API stage; `CLOUDFRONT` for the distribution (must be created in us-east-1). */
  scope: 'REGIONAL' | 'CLOUDFRONT';
}

/** The platform's web ACL: managed rule groups, then per-address rate limits (blocking with 429). */
export class TixWebAcl extends Construct {
  readonly acl: CfnWebACL;

  constructor(scope: Construct, id: string, props: TixWebAclProps) {
    super(scope, id);
    const visibility = (name: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `tix-${name}`,
    });
    type Rule = Omit<CfnWebACL.RuleProperty, 'priority'>;
    const managed: Rule[] = MANAGED_RULE_GROUPS.map((name) => ({
      name,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: visibility(name),
    }));
    const tooMany = { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rateLimited' } } };
    const rate = (name: keyof typeof RATE_LIMITS, scopeDown?: CfnWebACL.StatementProperty): Rule => ({
      name: `rate-${name}`,
      action: tooMany,
      statement: {
        rateBasedStatement: {
          limit: RATE_LIMITS[name],
          evaluationWindowSec: RATE_WINDOW_SECONDS,
          aggregateKeyType: 'IP',
          ...(scopeDown && { scopeDownStatement: scopeDown }),
        },
      },
      visibilityConfig: visibility(`rate-${name}`),
    });
    const path = (regex: string): CfnWebACL.StatementProperty => ({
      regexMatchStatement: {
        regexString: regex,
        fieldToMatch: { uriPath: {} },
        textTransformations: [
          { priority: 0, type: 'URL_DECODE' },
          { priority: 1, type: 'LOWERCASE' },
        ],
      },
    });
    const post: CfnWebACL.StatementProperty = {
      byteMatchStatement: {
        searchString: 'POST',
        fieldToMatch: { method: {} },
        positionalConstraint: 'EXACTLY',
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
    this.acl = new CfnWebACL(this, 'Acl', {
      scope: props.scope,
      defaultAction: { allow: {} },
      // WAF descriptions allow letters, digits, spaces and =:#@/-,. only.
      description: 'Tix: AWS managed rules, per-address rate limits - tighter on login, registration, purchase',
      customResponseBodies: {
        rateLimited: { contentType: 'APPLICATION_JSON', content: '{"error":"too many requests","code":"RATE_LIMITED"}' },
      },
      rules: [
        // Rate limits first: a flood is refused before any other rule spends time on it.
        rate('login', path(RATE_LIMITED_PATHS.login)),
        rate('register', path(RATE_LIMITED_PATHS.register)),
        rate('purchase', { andStatement: { statements: [post, path(RATE_LIMITED_PATHS.purchase)] } }),
        rate('any'),
        ...managed,
      ].map((rule, priority) => ({ ...rule, priority })),
      visibilityConfig: visibility(props.scope.toLowerCase()),
    });
  }

  get arn() {
    return this.acl.attrArn;
  }
}
