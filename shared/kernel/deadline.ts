/**
 * One deadline per request, derived from the Lambda context's remaining time (CONTRACT §3, issue 11
 * item 17): every wait and retry of the request is bounded by it, and a step that could not finish
 * in the time left is not started. The local runtime gives handlers the same
 * `getRemainingTimeInMillis()`, counted from FUNCTION_TIMEOUT_MS.
 */

/** The functions' timeout (CDK `timeout`, and the local runtime's context): API Gateway gives up at 29 s. */
export const FUNCTION_TIMEOUT_MS = 10_000;

/** Kept back from the remaining time: to answer, log and settle records before the runtime stops us. */
export const SAFETY_MARGIN_MS = 1_000;

export class Deadline {
  constructor(
    /** Epoch ms by which the request must have answered. */
    readonly at: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** From a Lambda context (`getRemainingTimeInMillis`), minus the safety margin. */
  static fromContext(context: { getRemainingTimeInMillis?: () => number } | undefined, marginMs = SAFETY_MARGIN_MS): Deadline {
    const remaining = context?.getRemainingTimeInMillis?.() ?? FUNCTION_TIMEOUT_MS;
    return new Deadline(Date.now() + remaining - marginMs);
  }

  /** ms left; 0 once passed. */
  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  /** Whether at least `ms` are left. */
  allows(ms: number): boolean {
    return this.remainingMs() >= ms;
  }
}
