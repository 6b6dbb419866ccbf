import { ConflictException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { CurrentUserDto, RegisteredUserDto } from '@encore/api-contract';
import { InteractionStore, UsernameTakenError } from '@encore/interaction-store';
import { ResponseCache } from '@encore/response-cache';
import { userCacheNamespace } from '../cache/cache-keys';
import { RequestValidationException } from '../common/validation';
import { passwordProblem } from './credential-policy';
import { PasswordHasher } from './password-hasher';
import { type IssuedToken, TokenService } from './token.service';

/** One message for an unknown user and a wrong password, so the answer does not reveal which names exist. */
const BAD_CREDENTIALS = 'invalid username or password';

@Injectable()
export class AuthService {
  constructor(
    @Inject(InteractionStore) private readonly store: InteractionStore,
    @Inject(ResponseCache) private readonly cache: ResponseCache,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  /** `username` is already normalised by the request DTO. */
  async register(username: string, password: string): Promise<RegisteredUserDto> {
    const problem = passwordProblem(password, username);
    if (problem) throw new RequestValidationException([{ field: 'password', message: problem }]);
    const passwordHash = await this.hasher.hash(password);
    try {
      const user = await this.store.createUser({ username, passwordHash, role: 'listener' });
      return { id: user.id, username: user.username };
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new ConflictException(`username ${username} is already taken`);
      throw error;
    }
  }

  async issueToken(username: string, password: string): Promise<IssuedToken> {
    const user = await this.store.findUserByName(username);
    const valid = user
      ? await this.hasher.verify(password, user.passwordHash)
      : await this.hasher.verifyNothing(password);
    if (!user || !valid) throw new UnauthorizedException(BAD_CREDENTIALS);
    return this.tokens.issue(user);
  }

  async describe(userId: string): Promise<CurrentUserDto> {
    const user = await this.store.findUserById(userId);
    if (!user) throw new NotFoundException(`user ${userId} not found`);
    return { id: user.id, username: user.username, role: user.role, createdAt: new Date(user.createdAt).toISOString() };
  }

  /**
   * Checks the current password (401 when wrong, like a failed sign-in), stores the new one's hash and bumps the
   * token version in one write, so every earlier token is revoked; the caller gets a token of the new version.
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<IssuedToken> {
    const user = await this.store.findUserById(userId);
    // The guard found the account a moment ago; gone now means deleted since, which revoked the token.
    if (!user) throw new UnauthorizedException('token revoked');
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw new RequestValidationException([{ field: 'newPassword', message: problem }]);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      throw new UnauthorizedException('current password is incorrect');
    }
    if (newPassword.normalize('NFKC') === currentPassword.normalize('NFKC')) {
      throw new RequestValidationException([
        { field: 'newPassword', message: 'must differ from the current password' },
      ]);
    }
    const tokenVersion = await this.store.updatePasswordHash(user.id, await this.hasher.hash(newPassword));
    if (tokenVersion === undefined) throw new UnauthorizedException('token revoked');
    return this.tokens.issue({ ...user, tokenVersion });
  }

  /** Every token issued so far for this account stops working. */
  async revokeTokens(userId: string): Promise<void> {
    if ((await this.store.bumpTokenVersion(userId)) === undefined)
      throw new NotFoundException(`user ${userId} not found`);
  }

  /** Deletes the account, its interactions and its cached responses; its tokens die with it. */
  async deleteAccount(userId: string): Promise<void> {
    if (!(await this.store.deleteUser(userId))) throw new NotFoundException(`user ${userId} not found`);
    await this.cache.invalidateNamespace(userCacheNamespace(userId));
  }
}
