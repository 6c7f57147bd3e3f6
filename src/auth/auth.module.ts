import { Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LIVEMIG_CONFIG, type LivemigConfig } from '../config/livemig-config';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthGuard } from './auth.guard';
import { TokenAuthenticator } from './token.authenticator';

@Module({
  providers: [
    {
      provide: TokenAuthenticator,
      inject: [LIVEMIG_CONFIG],
      useFactory: (config: LivemigConfig) => {
        const authenticator = new TokenAuthenticator(config.tokens);
        if (!authenticator.configured) {
          new Logger('Auth').warn('no tokens configured (LIVEMIG_TOKENS or LIVEMIG_TOKENS_FILE): every API call but /health answers 401');
        }
        return authenticator;
      },
    },
    { provide: AuthFailureLimiter, useFactory: () => new AuthFailureLimiter() },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenAuthenticator],
})
export class AuthModule {}
