import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InteractionStore, UsernameTakenError, type UserRecord } from '@encore/interaction-store';
import { randomBytes } from 'node:crypto';
import type { Environment } from '../config/environment';
import { passwordProblem } from './credential-policy';
import { PasswordHasher } from './password-hasher';

export const DEFAULT_ADMIN_USERNAME = 'admin';

/**
 * Makes sure an admin account exists before the API serves requests.
 *
 * - ENCORE_ADMIN_USER + ENCORE_ADMIN_PASSWORD: that account is created, or its password replaced when the stored
 *   one no longer matches (same id and history; its old tokens are revoked, as on a password change). A listener
 *   account of that name is never taken over: start-up fails instead.
 * - Neither: on first start an account `admin` is created with a random password, logged once at warn level.
 *   Nothing stores that password in clear; to reset it, start once with both variables set.
 */
@Injectable()
export class AdminAccount implements OnModuleInit {
  private readonly logger = new Logger(AdminAccount.name);

  constructor(
    private readonly config: ConfigService<Environment, true>,
    @Inject(InteractionStore) private readonly store: InteractionStore,
    private readonly hasher: PasswordHasher,
  ) {}

  async onModuleInit(): Promise<void> {
    const username = this.config.get('ENCORE_ADMIN_USER', { infer: true });
    const password = this.config.get('ENCORE_ADMIN_PASSWORD', { infer: true });
    if (username && password) await this.ensureConfigured(username, password);
    else await this.ensureDefault();
  }

  private async ensureConfigured(username: string, password: string): Promise<void> {
    const existing = await this.store.findUserByName(username);
    if (existing && existing.role !== 'admin') {
      throw new Error(`ENCORE_ADMIN_USER ${username} is an existing listener account; choose another name`);
    }
    if (existing && (await this.hasher.verify(password, existing.passwordHash))) return;
    if (existing) {
      if ((await this.store.updatePasswordHash(existing.id, await this.hasher.hash(password))) !== undefined) {
        this.logger.log(
          `admin account ${username}: password reset from ENCORE_ADMIN_PASSWORD (earlier tokens revoked)`,
        );
        return;
      }
      // Deleted meanwhile (another replica, an operator): create it afresh below.
    }
    if (await this.create(username, password))
      this.logger.log(`admin account ${username} created from ENCORE_ADMIN_USER`);
  }

  private async ensureDefault(): Promise<void> {
    if (await this.store.findUserByName(DEFAULT_ADMIN_USERNAME)) return;
    const password = randomPassword();
    if (await this.create(DEFAULT_ADMIN_USERNAME, password)) {
      this.logger.warn(
        `created admin account "${DEFAULT_ADMIN_USERNAME}" with password ${password} (shown only this once; ` +
          'set ENCORE_ADMIN_USER and ENCORE_ADMIN_PASSWORD to choose or reset it)',
      );
    }
  }

  /** `false` when another replica created the account first. */
  private async create(username: string, password: string): Promise<UserRecord | false> {
    try {
      return await this.store.createUser({ username, passwordHash: await this.hasher.hash(password), role: 'admin' });
    } catch (error) {
      if (error instanceof UsernameTakenError) return false;
      throw error;
    }
  }
}

/** 20 base64url characters (120 bits), redrawn in the rare case it lacks a letter or a digit. */
function randomPassword(): string {
  for (;;) {
    const candidate = randomBytes(15).toString('base64url');
    if (!passwordProblem(candidate, DEFAULT_ADMIN_USERNAME)) return candidate;
  }
}
