import { HttpException, HttpStatus } from '@nestjs/common';

/** Failed authentications (a token that is not known) allowed per client address and window. */
export const AUTH_FAILURES_PER_WINDOW = 20;
export const AUTH_FAILURE_WINDOW_MS = 60_000;
// Bounds memory under a spray from many addresses; the oldest windows go first.
const MAX_TRACKED_CLIENTS = 10_000;

/**
 * Refuses a client with 429 for the rest of a window once it has guessed wrong too often, so tokens
 * cannot be tried at line rate. Requests without a token guess nothing and are not counted.
 */
export class AuthFailureLimiter {
  private readonly windows = new Map<string, { startedMs: number; failures: number }>();

  constructor(
    private readonly limit = AUTH_FAILURES_PER_WINDOW,
    private readonly windowMs = AUTH_FAILURE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 when `client` has used up its failures in the current window. */
  assertAllowed(client: string): void {
    const window = this.current(client);
    if (window !== undefined && window.failures >= this.limit) {
      const retryAfterS = Math.ceil((window.startedMs + this.windowMs - this.now()) / 1000);
      throw new HttpException(
        { message: `too many failed authentications from this address; retry in ${retryAfterS} s`, details: { retryAfterS } },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  recordFailure(client: string): void {
    const window = this.current(client) ?? { startedMs: this.now(), failures: 0 };
    window.failures++;
    this.windows.delete(client);
    this.windows.set(client, window);
    if (this.windows.size > MAX_TRACKED_CLIENTS) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }

  private current(client: string): { startedMs: number; failures: number } | undefined {
    const window = this.windows.get(client);
    if (window !== undefined && this.now() - window.startedMs >= this.windowMs) {
      this.windows.delete(client);
      return undefined;
    }
    return window;
  }
}
