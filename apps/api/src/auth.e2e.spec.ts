import type { INestApplication } from '@nestjs/common';
import type { ApiErrorBody } from '@encore/api-contract';
import { InteractionStore } from '@encore/interaction-store';
import { readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { handMadeJwt, jwtPayload, signIn, signUp, type SignedInUser, TEST_PASSWORD } from './testing/accounts';
import { writeFixtureCatalog } from './testing/fixture-catalog';
import { startTestApp, temporaryDataDir } from './testing/test-app';

const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
const ADMIN = { username: 'boss', password: 'boss-password-1' };

describe('accounts and tokens (e2e)', () => {
  const fixture = writeFixtureCatalog();
  let app: INestApplication;
  let server: Server;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        CATALOG_PATH: fixture.path,
        JWT_SECRET: SECRET,
        // This suite signs in more often than the credentials limit allows; rate limits have their own test.
        RATE_LIMIT_PER_MINUTE: '100000',
        ENCORE_ADMIN_USER: ADMIN.username,
        ENCORE_ADMIN_PASSWORD: ADMIN.password,
      },
    });
    server = app.getHttpServer();
  });
  afterAll(async () => {
    await app.close();
    fixture.remove();
  });

  describe('register and token', () => {
    it('registers a listener (name lower-cased) and issues a Bearer token for it', async () => {
      const registered = await request(server)
        .post('/v1/auth/register')
        .send({ username: '  Ada.Lovelace ', password: 'analytical-engine-1843' })
        .expect(201);
      expect(registered.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username: 'ada.lovelace' });

      const token = await request(server)
        .post('/v1/auth/token')
        .send({ username: 'ADA.LOVELACE', password: 'analytical-engine-1843' })
        .expect(200);
      expect(token.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      const claims = jwtPayload(token.body.accessToken);
      expect(claims).toMatchObject({ sub: registered.body.id, role: 'listener', tv: 0, iss: 'encore' });
      expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(3600);
      expect(JSON.parse(Buffer.from(token.body.accessToken.split('.')[0], 'base64url').toString())).toMatchObject({
        alg: 'HS256',
      });

      const me = await request(server)
        .get('/v1/auth/me')
        .set('authorization', `Bearer ${token.body.accessToken}`)
        .expect(200);
      expect(me.body).toEqual({
        id: registered.body.id,
        username: 'ada.lovelace',
        role: 'listener',
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      });
    });

    it('answers 409 for a taken name, whatever its case', async () => {
      await signUp(server, 'grace');
      const res = await request(server)
        .post('/v1/auth/register')
        .send({ username: 'Grace', password: TEST_PASSWORD })
        .expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        error: 'Conflict',
        message: 'username grace is already taken',
      });
    });

    it.each([
      [{ username: 'al', password: TEST_PASSWORD }, 'username', 'must be 3 to 32 characters of a-z, 0-9, _ . -'],
      [{ username: 'bad name', password: TEST_PASSWORD }, 'username', 'must be 3 to 32 characters of a-z, 0-9, _ . -'],
      [
        { username: 'x'.repeat(33), password: TEST_PASSWORD },
        'username',
        'must be 3 to 32 characters of a-z, 0-9, _ . -',
      ],
      [
        { username: 'shorty', password: 'abc12345' },
        'password',
        expect.stringMatching(/^must be 10 to 128 characters/),
      ],
      [{ username: 'lettersonly', password: 'abcdefghijkl' }, 'password', expect.stringMatching(/one digit/)],
      [{ username: 'digitsonly', password: '123456789012' }, 'password', expect.stringMatching(/one letter/)],
      [
        { username: 'samename1', password: 'SameName1 ' },
        'password',
        expect.stringMatching(/differ from the username/),
      ],
      [{ username: 'extra', password: TEST_PASSWORD, role: 'admin' }, 'role', 'should not exist'],
      [{ password: TEST_PASSWORD }, 'username', 'must be a string'],
    ])('rejects %j naming %s', async (body, field, message) => {
      const res = await request(server).post('/v1/auth/register').send(body).expect(400);
      const error = res.body as ApiErrorBody;
      expect(error.details[0].field).toBe(field);
      expect(error.details.map((d) => d.message)).toContainEqual(message);
    });

    it('gives one 401 message for an unknown user and a wrong password', async () => {
      await signUp(server, 'linus');
      const unknown = await request(server)
        .post('/v1/auth/token')
        .send({ username: 'nobody', password: TEST_PASSWORD })
        .expect(401);
      const wrong = await request(server)
        .post('/v1/auth/token')
        .send({ username: 'linus', password: 'not-the-password-1' })
        .expect(401);
      expect(unknown.body).toEqual({ ...wrong.body, requestId: unknown.body.requestId });
      expect(wrong.body).toMatchObject({ statusCode: 401, message: 'invalid username or password' });
    });

    it('stores only a salted scrypt hash', async () => {
      const store = app.get(InteractionStore);
      await signUp(server, 'hash.a', 'same-password-1');
      await signUp(server, 'hash.b', 'same-password-1');
      const a = await store.findUserByName('hash.a');
      const b = await store.findUserByName('hash.b');
      expect(a?.passwordHash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
      expect(a?.passwordHash).not.toContain('same-password-1');
      expect(a?.passwordHash).not.toBe(b?.passwordHash);
    });
  });

  describe('who may call what', () => {
    let alice: SignedInUser;
    let bob: SignedInUser;
    let admin: SignedInUser;

    beforeAll(async () => {
      alice = await signUp(server, 'alice');
      bob = await signUp(server, 'bob');
      admin = await signIn(server, ADMIN.username, ADMIN.password);
    });

    async function unauthorized(authorization: string | undefined, message: string): Promise<void> {
      const req = request(server).get(`/v1/users/${alice.id}/history`);
      if (authorization !== undefined) req.set('authorization', authorization);
      const res = await req.expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message,
        details: [],
        requestId: res.headers['x-request-id'],
      });
    }

    it('lets the owner in', async () => {
      await request(server).get(`/v1/users/${alice.id}/history`).set('authorization', alice.auth).expect(200);
    });

    it('401: no token, malformed header, forged signature', async () => {
      await unauthorized(undefined, 'missing bearer token');
      await unauthorized(`Basic ${Buffer.from('alice:x').toString('base64')}`, 'malformed token');
      const claims = jwtPayload(alice.token);
      await unauthorized(
        `Bearer ${handMadeJwt({ alg: 'HS256', typ: 'JWT' }, claims, 'another-secret')}`,
        'invalid token',
      );
      const [header, , signature] = alice.token.split('.');
      const promoted = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
      await unauthorized(`Bearer ${header}.${promoted}.${signature}`, 'invalid token');
    });

    it('401: alg none and other algorithms, even with a valid-looking payload', async () => {
      const claims = jwtPayload(alice.token);
      await unauthorized(
        `Bearer ${handMadeJwt({ alg: 'none', typ: 'JWT' }, claims)}`,
        'token algorithm "none" is not accepted',
      );
      await unauthorized(`Bearer ${handMadeJwt({ alg: 'NONE' }, claims)}`, 'token algorithm "NONE" is not accepted');
      await unauthorized(
        `Bearer ${handMadeJwt({ alg: 'HS512' }, claims, SECRET)}`,
        'token algorithm "HS512" is not accepted',
      );
      await unauthorized(
        `Bearer ${handMadeJwt({ typ: 'JWT' }, claims, SECRET)}`,
        'token algorithm undefined is not accepted',
      );
    });

    it('401: expired, wrong issuer, or claims that are not ours (signed with the real key)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const base = { sub: alice.id, role: 'listener', tv: 0, iss: 'encore' };
      const sign = (payload: Record<string, unknown>) => `Bearer ${handMadeJwt({ alg: 'HS256' }, payload, SECRET)}`;
      await unauthorized(sign({ ...base, iat: now - 7200, exp: now - 3600 }), 'token expired');
      await unauthorized(sign({ ...base, iat: now, exp: now + 60, iss: 'someone-else' }), 'invalid token');
      await unauthorized(sign({ ...base, iat: now, exp: now + 60, tv: '0' }), 'invalid token');
      // The real key and well-formed claims work: the refusals above are about the claims.
      await request(server)
        .get(`/v1/users/${alice.id}/history`)
        .set('authorization', sign({ ...base, iat: now, exp: now + 60 }))
        .expect(200);
    });

    it("403: another user's data, for listeners; admins may", async () => {
      const res = await request(server).get(`/v1/users/${bob.id}/history`).set('authorization', alice.auth).expect(403);
      expect(res.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        message: "only the account's owner or an admin may access it",
      });
      await request(server)
        .post(`/v1/users/${bob.id}/interactions`)
        .set('authorization', alice.auth)
        .send({ events: [{ songId: 't1', event: 'like' }] })
        .expect(403);
      await request(server).delete(`/v1/users/${bob.id}`).set('authorization', alice.auth).expect(403);
      await request(server).get(`/v1/users/${bob.id}/history`).set('authorization', admin.auth).expect(200);
    });

    it('403: a listener on an admin route; the admin gets the stats', async () => {
      const res = await request(server).get('/v1/admin/stats').set('authorization', alice.auth).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, message: 'requires the admin role' });
      const stats = await request(server).get('/v1/admin/stats').set('authorization', admin.auth).expect(200);
      expect(stats.body).toEqual({
        interactions: expect.any(Number),
        songs: 11,
        cache: {
          backend: 'memory',
          hits: expect.any(Number),
          misses: expect.any(Number),
          errors: 0,
          size: expect.any(Number),
        },
        uptimeSeconds: expect.any(Number),
      });
      await request(server).get('/v1/admin/stats').expect(401);
    });

    it('401 once the account is deleted, and logout revokes every earlier token', async () => {
      const carol = await signUp(server, 'carol');
      const second = await signIn(server, 'carol', TEST_PASSWORD);
      await request(server).post('/v1/auth/logout').set('authorization', carol.auth).expect(204);
      await unauthorizedFor(carol, 'token revoked');
      await unauthorizedFor(second, 'token revoked');
      const fresh = await signIn(server, 'carol', TEST_PASSWORD);
      await request(server).delete(`/v1/users/${fresh.id}`).set('authorization', fresh.auth).expect(204);
      await unauthorizedFor(fresh, 'token revoked');
      await request(server).post('/v1/auth/token').send({ username: 'carol', password: TEST_PASSWORD }).expect(401);
      // The name is free again.
      await signUp(server, 'carol');
    });

    async function unauthorizedFor(user: SignedInUser, message: string): Promise<void> {
      const res = await request(server).get('/v1/auth/me').set('authorization', user.auth).expect(401);
      expect(res.body.message).toBe(message);
    }

    it('keeps browsing, health, metrics and docs public; a bad token there is ignored', async () => {
      for (const path of ['/v1/songs?limit=1', '/v1/songs/t1', '/v1/genres', '/health', '/metrics', '/docs-json']) {
        await request(server).get(path).expect(200);
        await request(server).get(path).set('authorization', 'Bearer not-a-token').expect(200);
      }
    });
  });

  describe('token attacks', () => {
    let victim: SignedInUser;
    const now = () => Math.floor(Date.now() / 1000);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

    beforeAll(async () => {
      victim = await signUp(server, 'victim');
    });

    /** The token is refused with `message` on every kind of protected route, always in the one error shape. */
    async function refused(token: string, message: string): Promise<void> {
      const attempts = [
        request(server).get('/v1/auth/me'),
        request(server).get(`/v1/users/${victim.id}/history`),
        request(server).post('/v1/auth/logout'),
        request(server)
          .post('/v1/auth/password')
          .send({ currentPassword: TEST_PASSWORD, newPassword: 'hijacked-pw-99' }),
        request(server).delete(`/v1/users/${victim.id}`),
      ];
      for (const attempt of attempts) {
        const res = await attempt.set('authorization', `Bearer ${token}`).expect(401);
        expect(res.body).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message,
          details: [],
          requestId: res.headers['x-request-id'],
        });
      }
      // None of the attempts changed anything: the real token still works, with the same password.
      await request(server).get('/v1/auth/me').set('authorization', victim.auth).expect(200);
    }

    it('refuses a real HS256 token whose header claims another algorithm, signature kept or dropped', async () => {
      const [, payload, signature] = victim.token.split('.');
      for (const alg of ['RS256', 'ES256', 'PS256', 'none', 'None', 'HS384']) {
        await refused(
          `${b64({ alg, typ: 'JWT' })}.${payload}.${signature}`,
          `token algorithm "${alg}" is not accepted`,
        );
        await refused(`${b64({ alg, typ: 'JWT' })}.${payload}.`, `token algorithm "${alg}" is not accepted`);
      }
      // The key-confusion attack: RS256 "verified" with the HMAC secret as the public key.
      await refused(
        handMadeJwt({ alg: 'RS256' }, jwtPayload(victim.token), SECRET),
        'token algorithm "RS256" is not accepted',
      );
      // Non-object headers and a JSON header that is not base64url.
      await refused(`${b64(null)}.${payload}.${signature}`, 'token algorithm undefined is not accepted');
      await refused(`${b64(['HS256'])}.${payload}.${signature}`, 'token algorithm undefined is not accepted');
      await refused(`{"alg":"HS256"}.${payload}.${signature}`, 'malformed token');
    });

    it('refuses an unsigned token (alg none, empty signature) carrying an admin role', async () => {
      const claims = { ...jwtPayload(victim.token), role: 'admin' };
      await refused(handMadeJwt({ alg: 'none', typ: 'JWT' }, claims), 'token algorithm "none" is not accepted');
      await refused(`${b64({ alg: 'HS256' })}.${b64(claims)}.`, 'invalid token');
    });

    it('refuses tokens signed with another secret, even one that differs by a single character', async () => {
      const claims = jwtPayload(victim.token);
      await refused(handMadeJwt({ alg: 'HS256' }, claims, 'another-secret-0123456789-abcdefghij'), 'invalid token');
      await refused(handMadeJwt({ alg: 'HS256' }, claims, `${SECRET.slice(0, -1)}q`), 'invalid token');
      await refused(handMadeJwt({ alg: 'HS256' }, claims, ''), 'invalid token');
    });

    it('refuses expired and not-yet-valid tokens signed with the real key', async () => {
      const base = { sub: victim.id, role: 'listener', tv: 0, iss: 'encore' };
      const sign = (payload: Record<string, unknown>) => handMadeJwt({ alg: 'HS256' }, payload, SECRET);
      await refused(sign({ ...base, iat: now() - 7200, exp: now() - 1 }), 'token expired');
      await refused(sign({ ...base, iat: now(), exp: now() + 600, nbf: now() + 300 }), 'invalid token');
      await refused(sign({ ...base, iat: now(), exp: 'never' }), 'invalid token');
      await refused(sign({ ...base, iat: now(), exp: now() + 600, iss: 'Encore' }), 'invalid token');
      await refused(sign({ ...base, iat: now(), exp: now() + 600, iss: undefined }), 'invalid token');
      // The same claims with a valid window are accepted: the refusals are about time and issuer only.
      await request(server)
        .get('/v1/auth/me')
        .set('authorization', `Bearer ${sign({ ...base, iat: now(), exp: now() + 600, nbf: now() - 5 })}`)
        .expect(200);
    });

    it('refuses well-signed tokens for accounts that do not exist or token versions never issued', async () => {
      const sign = (payload: Record<string, unknown>) =>
        handMadeJwt({ alg: 'HS256' }, { iss: 'encore', iat: now(), exp: now() + 600, ...payload }, SECRET);
      await refused(sign({ sub: 'no-such-user', role: 'admin', tv: 0 }), 'token revoked');
      await refused(sign({ sub: victim.id, role: 'listener', tv: 1 }), 'token revoked');
      await refused(sign({ sub: victim.id, role: 'listener', tv: -1 }), 'token revoked');
      await refused(sign({ sub: victim.id, role: 'root', tv: 0 }), 'invalid token');
      await refused(sign({ sub: 42, role: 'listener', tv: 0 }), 'invalid token');
      await refused(sign({ sub: victim.id, role: 'listener', tv: 1.5 }), 'invalid token');
    });

    it('refuses a token replayed after its account was deleted, even once the name is taken again', async () => {
      const doomed = await signUp(server, 'doomed');
      await request(server).delete(`/v1/users/${doomed.id}`).set('authorization', doomed.auth).expect(204);
      await signUp(server, 'doomed');
      const res = await request(server).get('/v1/auth/me').set('authorization', doomed.auth).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, message: 'token revoked', details: [] });
    });
  });

  describe('password change', () => {
    const NEW_PASSWORD = 'a-fresh-password-7';

    async function change(user: SignedInUser, body: Record<string, unknown>, status: number) {
      const res = await request(server).post('/v1/auth/password').set('authorization', user.auth).send(body);
      expect(res.status).toBe(status);
      if (status >= 400) expect(res.body).toMatchObject({ statusCode: status, requestId: res.headers['x-request-id'] });
      return res.body;
    }

    it('answers a fresh token and revokes every older one, on every device', async () => {
      const phone = await signUp(server, 'pat');
      const laptop = await signIn(server, 'pat', TEST_PASSWORD);
      const body = await change(phone, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, 200);
      expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      expect(jwtPayload(body.accessToken)).toMatchObject({ sub: phone.id, tv: 1 });

      const me = await request(server)
        .get('/v1/auth/me')
        .set('authorization', `Bearer ${body.accessToken}`)
        .expect(200);
      expect(me.body.id).toBe(phone.id);
      for (const old of [phone, laptop]) {
        const res = await request(server).get('/v1/auth/me').set('authorization', old.auth).expect(401);
        expect(res.body).toMatchObject({ statusCode: 401, message: 'token revoked', details: [] });
      }
      // A token forged with the real key but the old version is just as dead.
      const replay = handMadeJwt({ alg: 'HS256' }, { ...jwtPayload(phone.token) }, SECRET);
      await request(server).get('/v1/auth/me').set('authorization', `Bearer ${replay}`).expect(401);

      await request(server).post('/v1/auth/token').send({ username: 'pat', password: TEST_PASSWORD }).expect(401);
      await signIn(server, 'pat', NEW_PASSWORD);
      const stored = await app.get(InteractionStore).findUserById(phone.id);
      expect(stored?.passwordHash).toMatch(/^scrypt\$/);
      expect(stored?.passwordHash).not.toContain(NEW_PASSWORD);
    });

    it('401 for a wrong current password, changing nothing', async () => {
      const quinn = await signUp(server, 'quinn');
      const body = await change(quinn, { currentPassword: 'not-my-password-1', newPassword: NEW_PASSWORD }, 401);
      expect(body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'current password is incorrect',
        details: [],
        requestId: expect.any(String),
      });
      await request(server).get('/v1/auth/me').set('authorization', quinn.auth).expect(200);
      await signIn(server, 'quinn', TEST_PASSWORD);
      await request(server).post('/v1/auth/token').send({ username: 'quinn', password: NEW_PASSWORD }).expect(401);
    });

    it.each([
      [{ currentPassword: TEST_PASSWORD, newPassword: 'short-1' }, 'newPassword', /^must be 10 to 128 characters/],
      [{ currentPassword: TEST_PASSWORD, newPassword: 'no-digits-at-all' }, 'newPassword', /one digit/],
      [{ currentPassword: TEST_PASSWORD, newPassword: '123456789012' }, 'newPassword', /one letter/],
      [{ currentPassword: TEST_PASSWORD, newPassword: 'Ruth.Rule ' }, 'newPassword', /one digit/],
      [{ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }, 'newPassword', /must differ from the current/],
      [
        { currentPassword: TEST_PASSWORD, newPassword: `${'x1'.repeat(64)}y` },
        'newPassword',
        /must be shorter than or equal to 128 characters/,
      ],
      [{ currentPassword: TEST_PASSWORD }, 'newPassword', /must be a string/],
      [{ newPassword: NEW_PASSWORD }, 'currentPassword', /must be a string/],
      [{ currentPassword: 12345678901, newPassword: NEW_PASSWORD }, 'currentPassword', /must be a string/],
      [{ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, role: 'admin' }, 'role', /should not exist/],
    ])('400 for %j naming %s, changing nothing', async (body, field, message) => {
      const ruth = await signUp(server, `ruth${Math.random().toString(36).slice(2, 8)}`);
      const error = (await change(ruth, body, 400)) as ApiErrorBody;
      expect(error.details[0].field).toBe(field);
      expect(error.details).toContainEqual({ field, message: expect.stringMatching(message) });
      await request(server).get('/v1/auth/me').set('authorization', ruth.auth).expect(200);
    });

    it('refuses the new password being the username', async () => {
      const sam = await signUp(server, 'sam.2024');
      const error = (await change(
        sam,
        { currentPassword: TEST_PASSWORD, newPassword: 'Sam.2024' },
        400,
      )) as ApiErrorBody;
      expect(error.details).toEqual([
        { field: 'newPassword', message: expect.stringMatching(/differ from the username/) },
      ]);
    });

    it('401 without a token, or with one revoked by logout', async () => {
      const res = await request(server)
        .post('/v1/auth/password')
        .send({ currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
        .expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, message: 'missing bearer token', details: [] });
      const tess = await signUp(server, 'tess');
      await request(server).post('/v1/auth/logout').set('authorization', tess.auth).expect(204);
      expect(await change(tess, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, 401)).toMatchObject({
        message: 'token revoked',
      });
      await signIn(server, 'tess', TEST_PASSWORD);
    });
  });
});

describe('secrets and the default admin (e2e)', () => {
  const fixture = writeFixtureCatalog();
  afterAll(() => fixture.remove());

  it('generates a JWT key file with mode 0600 and keeps using it across restarts', async () => {
    const data = temporaryDataDir();
    try {
      const first = await startTestApp({ env: { CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir } });
      const path = join(data.dir, 'jwt-secret');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const key = readFileSync(path, 'utf8');
      expect(key.trim().length).toBeGreaterThanOrEqual(32);
      const user = await signUp(first.getHttpServer(), 'dana');
      await first.close();

      const second = await startTestApp({ env: { CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir } });
      try {
        expect(readFileSync(path, 'utf8')).toBe(key);
        await request(second.getHttpServer()).get('/v1/auth/me').set('authorization', user.auth).expect(200);
      } finally {
        await second.close();
      }
    } finally {
      data.remove();
    }
  });

  it('creates "admin" with a random password on first start, once; configured credentials reset it', async () => {
    const data = temporaryDataDir();
    try {
      const first = await startTestApp({ env: { CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir } });
      const admin = await first.get(InteractionStore).findUserByName('admin');
      expect(admin).toMatchObject({ username: 'admin', role: 'admin' });
      await first.close();

      // A token of the first admin, signed with the generated key (its random password is only in the log).
      const now = Math.floor(Date.now() / 1000);
      const key = readFileSync(join(data.dir, 'jwt-secret'), 'utf8').trim();
      const oldToken = `Bearer ${handMadeJwt({ alg: 'HS256' }, { sub: admin?.id, role: 'admin', tv: 0, iss: 'encore', iat: now, exp: now + 600 }, key)}`;

      const again = await startTestApp({ env: { CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir } });
      expect(await again.get(InteractionStore).findUserByName('admin')).toEqual(admin);
      await request(again.getHttpServer()).get('/v1/admin/stats').set('authorization', oldToken).expect(200);
      await again.close();

      const env = {
        CATALOG_PATH: fixture.path,
        ENCORE_DATA_DIR: data.dir,
        ENCORE_ADMIN_USER: 'admin',
        ENCORE_ADMIN_PASSWORD: 'chosen-admin-pw-1',
      };
      const configured = await startTestApp({ env });
      try {
        const signedIn = await signIn(configured.getHttpServer(), 'admin', 'chosen-admin-pw-1');
        // The same account (id, history) with the configured password; tokens from before the reset are revoked.
        expect(signedIn.id).toBe(admin?.id);
        await request(configured.getHttpServer())
          .get('/v1/admin/stats')
          .set('authorization', signedIn.auth)
          .expect(200);
        const stale = await request(configured.getHttpServer())
          .get('/v1/admin/stats')
          .set('authorization', oldToken)
          .expect(401);
        expect(stale.body.message).toBe('token revoked');
      } finally {
        await configured.close();
      }
    } finally {
      data.remove();
    }
  });

  it('refuses to start when ENCORE_ADMIN_USER names a listener account', async () => {
    const data = temporaryDataDir();
    try {
      const first = await startTestApp({ env: { CATALOG_PATH: fixture.path, ENCORE_DATA_DIR: data.dir } });
      await signUp(first.getHttpServer(), 'eve');
      await first.close();
      await expect(
        startTestApp({
          logger: false,
          env: {
            CATALOG_PATH: fixture.path,
            ENCORE_DATA_DIR: data.dir,
            ENCORE_ADMIN_USER: 'eve',
            ENCORE_ADMIN_PASSWORD: 'take-over-eve-1',
          },
        }),
      ).rejects.toThrow('ENCORE_ADMIN_USER eve is an existing listener account; choose another name');
    } finally {
      data.remove();
    }
  });

  it('keeps /metrics for admins when METRICS_PUBLIC=false', async () => {
    const app = await startTestApp({
      env: {
        CATALOG_PATH: fixture.path,
        METRICS_PUBLIC: 'false',
        ENCORE_ADMIN_USER: 'ops',
        ENCORE_ADMIN_PASSWORD: 'ops-password-1',
      },
    });
    try {
      const server = app.getHttpServer();
      await request(server).get('/metrics').expect(401);
      const listener = await signUp(server, 'frank');
      await request(server).get('/metrics').set('authorization', listener.auth).expect(403);
      const ops = await signIn(server, 'ops', 'ops-password-1');
      const res = await request(server).get('/metrics').set('authorization', ops.auth).expect(200);
      expect(res.text).toContain('http_request_duration_seconds');
    } finally {
      await app.close();
    }
  });
});
