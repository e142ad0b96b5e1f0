import { Tracer } from '@aws-lambda-powertools/tracer';
import { type Span, useTracing } from './dependency.ts';

/**
 * Traces with Powertools Tracer (AWS X-Ray). In Lambda with active tracing, every request of a
 * handler gets a subsegment `## <METHOD path>` annotated with its correlation id and route; the stores
 * (PostgreSQL, the document store, Redis, DynamoDB) get subsegments through dependency.ts and the
 * AWS SDK client, and calls to other services through Tracer's capture of http(s) — which also
 * sends the trace header on, so authorizer → user manager → event manager is one trace. Outside
 * Lambda the tracer is off and all of this costs a boolean check. The authorizer does not load it
 * (its bundle and cold start stay small); API Gateway and Lambda trace it without code.
 */

let tracer: Tracer | undefined;

/** The handlers' tracer, made on first request (it patches http(s) when tracing is on). */
export function requestTracer(): Tracer | undefined {
  if (!tracer) {
    tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'tix' });
    if (tracer.isTracingEnabled()) useTracing(openSpan);
  }
  return tracer.isTracingEnabled() ? tracer : undefined;
}

/** Runs one request inside its own subsegment, annotated so that a trace is found by correlation id. */
export async function traceRequest<T>(correlationId: string, route: string, run: () => Promise<T>): Promise<T> {
  const active = requestTracer();
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

/** The AWS SDK client with X-Ray subsegments for its calls, where tracing is on. */
export function tracedAwsClient<T>(client: T): T {
  const active = requestTracer();
  return active ? active.captureAWSv3Client(client) : client;
}
