import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { RequestWithUser } from '../auth/access.decorators';

/**
 * Global guard between authentication and access checks, so a signed-in caller is counted by account (all of
 * their devices share one budget) and an anonymous one by IP. 429s carry a plain `Retry-After` whichever named
 * limit was hit.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = (req as RequestWithUser).user;
    return user ? `user:${user.id}` : `ip:${await super.getTracker(req)}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const { res } = this.getRequestResponse(context);
    this.setResponseHeader(res, 'Retry-After', Math.max(1, detail.timeToBlockExpire));
    await super.throwThrottlingException(context, detail);
  }
}
