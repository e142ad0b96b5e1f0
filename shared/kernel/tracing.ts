import type { Tracer } from '@aws-lambda-powertools/tracer';
import { type Span, useTracing } from './dependency.ts';

/**
 * Traces with Powertools Tracer (AWS X-Ray). In Lambda with active tracing, every request of a
 * handler gets a subsegment `## <METHOD path>` annotated with its correlation id and route; the stores
 * (PostgreSQL, the document store, Redis, DynamoDB) get subsegments through dependency.ts and the
 * AWS SDK client, and calls to other services through Tracer's capture of http(s) — which also
 * sends the trace header on, so authorizer → user manager → event manager is one trace. Outside
 * Lambda the tracer is off and all of this costs a boolean check. The authorizer does not load it
 * (its bundle and cold start stay small); API Gateway and Lambda trace it without code.
 *
 * Where tracing is off the tracer is not even loaded: loading it loads the X-Ray SDK, whose context
 * (cls-hooked) switches on an async hook with destroy tracking for every promise of the process —
 * about a tenth of the local runtime's CPU in the purchase benchmark, for traces nobody sends.
 */

/** Powertools Tracer's own rule: in Lambda (not SAM or Amplify mocks), unless POWERTOOLS_TRACE_ENABLED=false. */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const executionEnv = env.AWS_EXECUTION_ENV ?? '';
  return (env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() !== 'false' && executionEnv !== '' && executionEnv !== 'AWS_Lambda_amplify-mock' && !env.AWS_SAM_LOCAL;
}

let tracer: Tracer | undefined;
let loading: Promise<Tracer | undefined> | undefined;
/** Settled without a tracer: requests run unwrapped (each await costs every request a promise). */
let untraced = false;

/** The handlers' tracer, made on the first request where tracing is wanted (it patches http(s)). */
export function requestTracer(): Promise<Tracer | undefined> {
  if (!loading) {
    loading = tracingWanted()
      ? import('@aws-lambda-powertools/tracer').then(({ Tracer }) => {
          tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tix' });
          if (!tracer.isTracingEnabled()) return (tracer = undefined);
          useTracing(openSpan);
          return tracer;
        })
      : Promise.resolve(undefined);
    loading.then((active) => (untraced = !active), () => {});
  }
  return loading;
}

/** Runs one request inside its own subsegment, annotated so that a trace is found by correlation id. */
export function traceRequest<T>(correlationId: string, route: string, run: () => Promise<T>): Promise<T> {
  return untraced ? run() : traced(correlationId, route, run);
}

async function traced<T>(correlationId: string, route: string, run: () => Promise<T>): Promise<T> {
  const active = tracer ?? (await requestTracer());
  const parent = active?.getSegment();
  if (!active || !parent) return run();
  const segment = parent.addNewSubsegment(`## ${route}`);
  active.setSegment(segment);
  active.annotateColdStart();
  active.addServiceNameAnnotation();
  active.putAnnotation('correlation_id', correlationId);
  active.putAnnotation('route', route);
  try {
    return await run();
  } catch (error) {
    segment.addError(error as Error);
    throw error;
  } finally {
    segment.close();
    active.setSegment(parent);
  }
}

function openSpan(name: string): Span | undefined {
  const parent = tracer?.getSegment();
  if (!parent) return undefined;
  const segment = parent.addNewSubsegment(name);
  return {
    close(error) {
      if (error) segment.addError(error as Error);
      segment.close();
    },
  };
}

/**
 * The AWS SDK client with X-Ray subsegments for its calls, where tracing is on. Clients are made
 * inside requests, after traceRequest has loaded the tracer.
 */
export function tracedAwsClient<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
