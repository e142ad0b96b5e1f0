import { BrokenCircuitError, circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleWhen, type IPolicy, retry, wrap } from 'cockatiel';
import { serviceUnavailable } from '../../kernel/errors.ts';
import { describeFailure, type HttpAnswer, httpCall, jsonObject } from '../../kernel/http-call.ts';
import { onBehalfHeaders } from '../../kernel/audit-context.ts';
import type { Deadline } from '../../kernel/deadline.ts';
import { correlationId, log, requestDeadline } from '../../kernel/request-context.ts';
import { pathOf } from '../../routes.ts';
import type { TicketTarget } from '../domain/profile.ts';
import { type EventManagerClient, type EventSummary, NotSent, type PacketSummary, type SaleRefusal, type ServiceTokenProvider } from '../application/ports.ts';

/**
 * The event manager's public API over HTTP, behind a resilience policy: a deadline per attempt,
 * bounded retries with exponential backoff on transient failures only (5xx, transport errors,
 * timeouts; every call here is idempotent — PUT with the same code, DELETE, GET), and a circuit
 * breaker that fails fast while the event manager is down. The breaker lives as long as the
 * container. No attempt or retry outlives the request's deadline (kernel/deadline.ts), so retries
 * stop when the time is up rather than when the function is. Whatever remains → 503 UPSTREAM_UNAVAILABLE.
 */

export interface ResilienceOptions {
  attemptTimeoutMs: number;
  /** Retries after the first attempt. */
  retries: number;
  initialBackoffMs: number;
  /** Consecutive failures that open the breaker, and how long it stays open. */
  breakerThreshold: number;
  breakerOpenMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceOptions = {
  attemptTimeoutMs: 3_000,
  retries: 2,
  initialBackoffMs: 100,
  breakerThreshold: 5,
  breakerOpenMs: 10_000,
};

class TransientFailure extends Error {
  override name = 'TransientFailure';
}

/** Too little time left before the request's deadline to start (another) attempt: not retried. */
class OutOfTime extends Error {
  override name = 'OutOfTime';
}

/** An attempt shorter than this is not worth starting. */
export const MIN_ATTEMPT_MS = 100;

const transient = (error: Error) => error instanceof TransientFailure;

/** Retries and the breaker; each attempt's deadline is the HTTP call's own (`attemptTimeoutMs`). */
function resiliencePolicy(options: ResilienceOptions): IPolicy {
  return wrap(
    retry(handleWhen(transient), {
      maxAttempts: options.retries,
      backoff: new ExponentialBackoff({ initialDelay: options.initialBackoffMs, maxDelay: 2_000 }),
    }),
    circuitBreaker(handleWhen(transient), { halfOpenAfter: options.breakerOpenMs, breaker: new ConsecutiveBreaker(options.breakerThreshold) }),
  );
}

export const upstreamUnavailable = () => serviceUnavailable('event manager unavailable, try again later', 'UPSTREAM_UNAVAILABLE');

interface Answer {
  status: number;
  body: { error?: string; code?: string; [key: string]: unknown } | undefined;
}

export class HttpEventManagerClient implements EventManagerClient {
  private readonly policy: IPolicy;

  constructor(
    private readonly baseUrl: string,
    private readonly tokens: ServiceTokenProvider,
    private readonly resilience: ResilienceOptions = DEFAULT_RESILIENCE,
  ) {
    this.policy = resiliencePolicy(resilience);
  }

  async sellTicket(code: string, target: TicketTarget, deadline = requestDeadline()): Promise<SaleRefusal | undefined> {
    const answer = await this.call('PUT', pathOf('events/put-ticket', { code }), deadline, target);
    if (answer.status >= 200 && answer.status < 300) return undefined;
    const message = answer.body?.error ?? `event manager answered ${answer.status}`;
    if (answer.status === 404) return { kind: 'not-found', message };
    if (answer.status === 422 && answer.body?.code === 'SOLD_OUT') return { kind: 'sold-out', message };
    if (answer.status === 400 || answer.status === 409 || answer.status === 422) {
      return { kind: 'rejected', message, code: answer.body?.code ?? 'TICKET_REJECTED' };
    }
    throw this.unexpected('PUT /tickets', answer);
  }

  async cancelTicket(code: string, deadline = requestDeadline()): Promise<'cancelled' | 'absent'> {
    const answer = await this.call('DELETE', pathOf('events/delete-ticket', { code }), deadline);
    if (answer.status >= 200 && answer.status < 300) return 'cancelled';
    if (answer.status === 404) return 'absent';
    throw this.unexpected('DELETE /tickets', answer);
  }

  async event(id: number): Promise<EventSummary | undefined> {
    return this.resource(pathOf('events/get-event', { id }), 'event', false);
  }

  async packet(id: number): Promise<PacketSummary | undefined> {
    return this.resource(pathOf('events/get-packet', { id }), 'event_packet', true);
  }

  private async resource(path: string, wrapper: string, withToken: boolean): Promise<EventSummary | undefined> {
    const answer = await this.call('GET', path, requestDeadline(), undefined, withToken);
    if (answer.status === 404) return undefined;
    const value = answer.body?.[wrapper] as EventSummary | undefined;
    if (answer.status !== 200 || !value) throw this.unexpected(`GET ${path}`, answer);
    return value;
  }

  /** One call with the service token; a 401 (token revoked or expired early) renews it once. */
  private async call(method: string, path: string, deadline: Deadline, body?: unknown, withToken = true): Promise<Answer> {
    if (!withToken) return this.send(method, path, deadline, body, undefined);
    const token = await this.tokens.token();
    const answer = await this.send(method, path, deadline, body, token);
    if (answer.status !== 401) return answer;
    log().warn('event manager rejected the service token; logging in again');
    this.tokens.invalidate(token);
    const retried = await this.send(method, path, deadline, body, await this.tokens.token());
    if (retried.status === 401) throw this.unexpected(`${method} ${path}`, retried);
    return retried;
  }

  /** Through the policy; no attempt outlives `deadline`, and none starts without MIN_ATTEMPT_MS left. */
  private async send(method: string, path: string, deadline: Deadline, body: unknown, token: string | undefined): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const id = correlationId();
    if (id) headers['X-Correlation-Id'] = id;
    Object.assign(headers, onBehalfHeaders()); // the end user, for the event manager's audit trail
    let sent = 0;
    try {
      return await this.policy.execute(async () => {
        const left = deadline.remainingMs();
        if (left < MIN_ATTEMPT_MS) throw new OutOfTime(`${method} ${path}: ${left} ms left before the request's deadline`);
        let response: HttpAnswer;
        sent++;
        try {
          response = await httpCall(this.baseUrl + path, {
            method,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            timeoutMs: Math.min(this.resilience.attemptTimeoutMs, left),
          });
        } catch (error) {
          // A refused or reset connection, or no answer in time.
          throw new TransientFailure(`${method} ${path}: ${describeFailure(error)}`);
        }
        if (response.status >= 500) throw new TransientFailure(`${method} ${path}: ${response.status}`);
        return { status: response.status, body: jsonObject(response.text) as Answer['body'] };
      });
    } catch (error) {
      if (transient(error as Error) || error instanceof BrokenCircuitError || error instanceof OutOfTime) {
        log().warn('event manager unavailable', { call: `${method} ${path}`, error: String(error) });
        throw sent === 0 ? new NotSent() : upstreamUnavailable();
      }
      throw error;
    }
  }

  /** An answer the contract does not allow (403 to the service account, a second 401 …): our fault, not the client's. */
  private unexpected(call: string, answer: Answer) {
    log().error('unexpected answer from the event manager', { call, status: answer.status, error: answer.body?.error });
    return upstreamUnavailable();
  }
}
