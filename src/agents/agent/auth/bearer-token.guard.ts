import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken } from '../../../auth/token.authenticator';
import { AGENT_CONFIG, type AgentConfig } from '../agent.config';

/** Hashing first gives equal lengths, so the comparison time says nothing about the token. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(@Inject(AGENT_CONFIG) private readonly config: AgentConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) throw new UnauthorizedException('missing bearer token');
    if (!tokensMatch(token, this.config.token)) throw new UnauthorizedException('invalid bearer token');
    return true;
  }
}
