import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Role } from '../config/role';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { bearerToken, TokenAuthenticator } from './token.authenticator';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Every route needs a token unless marked @Public; mutations need the operator role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenAuthenticator) private readonly authenticator: TokenAuthenticator,
    @Inject(AuthFailureLimiter) private readonly failures: AuthFailureLimiter,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<Request & { role?: Role }>();
    const token = bearerToken(req.headers.authorization);
    if (!token) throw new UnauthorizedException({ message: 'a bearer token is required', details: { header: 'Authorization' } });
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    this.failures.assertAllowed(client);
    const role = this.authenticator.roleOf(token);
    if (!role) {
      this.failures.recordFailure(client);
      throw new UnauthorizedException({ message: 'the token is not known', details: null });
    }
    const allowed =
      this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ??
      (READ_METHODS.has(req.method) ? ['operator', 'analyst'] : ['operator']);
    // An administrator holds every right an operator or analyst has.
    if (role !== 'admin' && !allowed.includes(role)) {
      throw new ForbiddenException({ message: `role ${role} may not do this; needs ${allowed.join(' or ')}`, details: { role, allowed } });
    }
    req.role = role;
    return true;
  }
}
