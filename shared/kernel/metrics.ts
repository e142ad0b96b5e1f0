import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EmfOutput } from '@aws-lambda-powertools/metrics/types';
import { currentContext, log, logs } from './request-context.ts';

/**
 * Business and health metrics as CloudWatch EMF records (Powertools Metrics), namespace `Tix`,
 * dimension `service` (plus `store` on dependency errors): few dimensions, bounded cardinality.
 * A request's counts are flushed as one record when it ends (`flushMetrics`, called by `serve()`).
 * In Lambda the record goes to stdout, where CloudWatch turns it into metrics; elsewhere (the local
 * runtime, tests) it is logged at DEBUG with the message `metrics` (`LOG_LEVEL=DEBUG npm start`).
 */

export const METRICS_NAMESPACE = 'Tix';

export type Metric =
  | 'TicketsSold' | 'SoldOutRefusals' | 'TicketsCancelled'
  | 'PurchaseCompensations' | 'FailedCompensations' | 'IdempotentReplays'
  | 'LoginsSucceeded' | 'LoginsFailed' | 'LoginsThrottled' | 'TokensRevoked'
  | 'AuthorizerAllows' | 'AuthorizerDenies';

/** The stores and services a request depends on; `DependencyErrors` is counted per store. */
export type Dependency = 'postgres' | 'mongodb' | 'redis' | 'dynamodb' | 'service-call';

/** `tix-<service>` of the request being served (the local runtime serves them all in one process), else the function's. */
const service = () => {
  const serving = currentContext()?.service;
  return serving ? `tix-${serving}` : (process.env.POWERTOOLS_SERVICE_NAME ?? 'tix');
};

/** One per service, made on first use: a Metrics instance builds a Console over stdout (cold starts). */
const instances = new Map<string, Metrics>();
function instance(name = service()): Metrics {
  let metrics = instances.get(name);
  if (!metrics) instances.set(name, (metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: name, logger: quietLogger })));
  return metrics;
}

/** Powertools' own warnings ("no metrics to publish" on most requests) go to our log at DEBUG. */
const debug = (...args: unknown[]) => logs('DEBUG') && log().debug(String(args[0]));
const quietLogger = { debug, info: debug, warn: debug, error: (...args: unknown[]) => log().error(String(args[0])) };

/** Where EMF records go: stdout in Lambda, the log elsewhere; tests may listen. */
type Sink = (record: EmfOutput) => void;
const inLambda = () => process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
const defaultSink: Sink = (record) => {
  if (inLambda()) process.stdout.write(`${JSON.stringify(record)}\n`);
  else log().debug('metrics', { emf: record });
};
let sink = defaultSink;
/** Whether a record would be read at all: outside Lambda the default sink writes only at DEBUG. */
const wanted = () => sink !== defaultSink || inLambda() || logs('DEBUG');

/** Replaces the sink, returning the previous one (tests). */
export function setMetricsSink(next: Sink): Sink {
  const previous = sink;
  sink = next;
  return previous;
}

/** Counts one occurrence (or `value`) of a metric of the current request. */
export function count(metric: Metric, value = 1): void {
  instance().addMetric(metric, MetricUnit.Count, value);
}

/** A store or service call failed: counted at once, with the store as the extra dimension. */
export function dependencyError(store: Dependency): void {
  const metrics = instance(`${service()}#dependencies`);
  metrics.setDefaultDimensions({ service: service() });
  metrics.addDimension('store', store);
  metrics.addMetric('DependencyErrors', MetricUnit.Count, 1);
  emit(metrics);
}

/** Writes the metrics the current request counted as one EMF record (end of a request). */
export function flushMetrics(): void {
  const metrics = instances.get(service());
  if (metrics?.hasStoredMetrics()) emit(metrics);
}

function emit(from: Metrics): void {
  // Serialised only for a reader: the local runtime would build a record per request to drop it.
  const record = wanted() ? from.serializeMetrics() : undefined;
  from.clearMetrics();
  from.clearDimensions();
  if (record) sink(record);
}
