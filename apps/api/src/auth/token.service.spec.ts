import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { Environment } from '../config/environment';
import { InvalidTokenError, TOKEN_ALGORITHM, TokenService } from './token.service';

const secret = createSecretKey(Buffer.from('a-test-secret-of-sufficient-length-0123456789', 'utf8'));

function tokenService(expiresInSeconds: number): TokenService {
  const jwt = new JwtService({ secret, signOptions: { algorithm: TOKEN_ALGORITHM } });
  const config = { get: () => expiresInSeconds } as unknown as ConfigService<Environment, true>;
  return new TokenService(jwt, config);
}

const user = {
  id: 'u-1',
  username: 'ana',
  role: 'listener' as const,
  tokenVersion: 3,
  passwordHash: 'x',
  createdAt: 0,
};

describe('TokenService', () => {
  afterEach(() => jest.useRealTimers());

  it('verifies an issued token, again and again, to the same claims', async () => {
    const tokens = tokenService(60);
    const { accessToken } = tokens.issue(user);
    expect(await tokens.verify(accessToken)).toEqual({ sub: 'u-1', role: 'listener', tv: 3 });
    expect(await tokens.verify(accessToken)).toEqual({ sub: 'u-1', role: 'listener', tv: 3 });
  });

  it('refuses a remembered token once it has expired', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-25T12:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    const tokens = tokenService(30);
    const { accessToken } = tokens.issue(user);
    await tokens.verify(accessToken);
    jest.setSystemTime(new Date('2026-11-25T12:00:29Z'));
    await expect(tokens.verify(accessToken)).resolves.toMatchObject({ sub: 'u-1' });
    jest.setSystemTime(new Date('2026-11-25T12:00:30Z'));
    await expect(tokens.verify(accessToken)).rejects.toThrow(new InvalidTokenError('token expired'));
  });

  it('does not let a tampered copy of a remembered token through', async () => {
    const tokens = tokenService(60);
    const { accessToken } = tokens.issue(user);
    await tokens.verify(accessToken);
    const [header, payload, signature] = accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u-1', role: 'admin', tv: 3, iss: 'encore', exp: 9e9 })).toString(
      'base64url',
    );
    await expect(tokens.verify(`${header}.${forged}.${signature}`)).rejects.toThrow(InvalidTokenError);
    expect(payload).not.toBe(forged);
  });
});
