import { issueToken } from '../../auth/tokens.ts';
import type { Role } from '../../auth/roles.ts';
import { describeFailure, type HttpAnswer, httpCall, jsonObject } from '../../kernel/http-call.ts';
import { onBehalfHeaders } from '../../kernel/audit-context.ts';
import { correlationId, log } from '../../kernel/request-context.ts';
import { pathOf } from '../../routes.ts';
import type { ProfileOutcome, ProfileService } from '../application/ports.ts';
import type { ServiceToken } from '../application/service-token.ts';

export interface HttpProfileServiceOptions {
  /** Base URL of the platform's API (INTERNAL_BASE_URL), without a trailing slash. */
  baseUrl: string;
  serviceToken: ServiceToken;
  timeoutMs?: number;
}

/**
 * The User service's profile API (POST /api/user-manager/users), called with the service account's
 * token and the request's correlation id, within a timeout.
 */
export class HttpProfileService implements ProfileService {
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpProfileServiceOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async create(profile: { id: number; email: string }): Promise<ProfileOutcome> {
    const token = await this.options.serviceToken.get();
    let response: HttpAnswer;
    try {
      response = await httpCall(this.options.baseUrl + pathOf('users/create-profile'), {
        method: 'POST',
        headers: this.headers(token, { 'Content-Type': 'application/json', ...onBehalfHeaders(profile.id) }),
        body: JSON.stringify({ id: profile.id, email: profile.email, first_name: '', last_name: '' }),
        timeoutMs: this.timeoutMs,
      });
    } catch (error) {
      return { ok: false, reason: 'unavailable', detail: describeFailure(error) };
    }
    if (response.status === 201 || response.status === 200) return { ok: true };
    if (response.status >= 500) return { ok: false, reason: 'unavailable', detail: `HTTP ${response.status}` };
    if (response.status === 401) this.options.serviceToken.invalidate();
    const body = jsonObject(response.text) ?? {};
    return {
      ok: false,
      reason: 'rejected',
      status: response.status,
      code: typeof body.code === 'string' ? body.code : undefined,
      message: typeof body.error === 'string' ? body.error : `HTTP ${response.status}`,
    };
  }

  /**
   * After a timeout or 5xx the profile may exist after all: delete it as its own user would, with a
   * one-minute token the IDM mints for that user (a user may delete their own account; that also
   * deletes the identity and revokes this token, which the rollback does anyway).
   */
  async discard(profile: { id: number; email: string; role: Role }): Promise<void> {
    try {
      const { token } = await issueToken({ userId: profile.id, role: profile.role, email: profile.email }, { ttlSeconds: 60 });
      const response = await httpCall(this.options.baseUrl + pathOf('users/delete-account', { id: profile.id }), {
        method: 'DELETE',
        headers: this.headers(token),
        timeoutMs: this.timeoutMs,
      });
      log().info('profile compensation', { userId: profile.id, status: response.status });
    } catch (error) {
      log().warn('profile compensation failed', { userId: profile.id, error: describeFailure(error) });
    }
  }

  private headers(token: string, extra: Record<string, string> = {}): Record<string, string> {
    const id = correlationId();
    return { Authorization: `Bearer ${token}`, ...(id ? { 'X-Correlation-Id': id } : {}), ...extra };
  }
}
