import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { Environment } from '../config/environment';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AccessGuard } from './access.guard';
import { AdminAccount } from './admin-account';
import { AccountsController, AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { resolveJwtSecret } from './jwt-secret';
import { PasswordHasher } from './password-hasher';
import { TOKEN_ALGORITHM, TokenService } from './token.service';

/** The global guards in the order Nest runs them. */
const GLOBAL_GUARDS = [JwtAuthGuard, RateLimitGuard, AccessGuard];

/**
 * Accounts, tokens and the three global guards. They are registered here together because their order matters:
 * authenticate (who is calling) → rate limit (keyed by that account, or IP) → access (roles, owner-only routes).
 */
@Module({
  imports: [
    RateLimitModule,
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        // A KeyObject, not the string: given a string, jsonwebtoken first tries (and fails) to parse it as a public
        // key on every verify, which cost a fifth of a cached request's CPU.
        secret: createSecretKey(
          Buffer.from(
            resolveJwtSecret(
              config.get('JWT_SECRET', { infer: true }),
              config.get('ENCORE_DATA_DIR', { infer: true }),
              new Logger('Auth'),
            ),
            'utf8',
          ),
        ),
        signOptions: { algorithm: TOKEN_ALGORITHM },
        verifyOptions: { algorithms: [TOKEN_ALGORITHM] },
      }),
    }),
  ],
  controllers: [AuthController, AccountsController],
  providers: [
    {
      provide: PasswordHasher,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new PasswordHasher({ N: 2 ** config.get('PASSWORD_HASH_COST', { infer: true }), r: 8, p: 1 }),
    },
    TokenService,
    AuthService,
    AdminAccount,
    // Plain providers too, so the cached-response shortcut runs these very instances.
    ...GLOBAL_GUARDS,
    ...GLOBAL_GUARDS.map((guard) => ({ provide: APP_GUARD, useExisting: guard })),
  ],
  exports: [TokenService, PasswordHasher, ...GLOBAL_GUARDS],
})
export class AuthModule {}
