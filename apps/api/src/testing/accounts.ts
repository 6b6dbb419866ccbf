import type { AccessTokenDto, RegisteredUserDto } from '@encore/api-contract';
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';

export interface SignedInUser {
  id: string;
  username: string;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

export const TEST_PASSWORD = 'listen-to-me-42';

/** Registers `username` and exchanges its password for a token, asserting both answers. */
export async function signUp(server: Server, username: string, password = TEST_PASSWORD): Promise<SignedInUser> {
  const registered = await request(server).post('/v1/auth/register').send({ username, password }).expect(201);
  const user = registered.body as RegisteredUserDto;
  return { ...(await signIn(server, username, password)), id: user.id };
}

export async function signIn(server: Server, username: string, password: string): Promise<SignedInUser> {
  const res = await request(server).post('/v1/auth/token').send({ username, password }).expect(200);
  const { accessToken } = res.body as AccessTokenDto;
  const me = await request(server).get('/v1/auth/me').set('authorization', `Bearer ${accessToken}`).expect(200);
  return { id: me.body.id, username: me.body.username, token: accessToken, auth: `Bearer ${accessToken}` };
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A JWT built by hand, to forge what a real client library would refuse to produce (alg none, foreign keys, expiry). */
export function handMadeJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret?: string,
): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  const signature = secret === undefined ? '' : createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** Decodes a JWT's payload without checking it. */
export function jwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
