import { scryptSync } from 'node:crypto';
import { DEFAULT_SCRYPT, PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const cheap = new PasswordHasher({ N: 1024, r: 8, p: 1 });

  it('hashes with the default cost (N=2^15, r=8, p=1) into a self-describing string', async () => {
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('correct horse 42');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(DEFAULT_SCRYPT).toEqual({ N: 32768, r: 8, p: 1 });
    expect(await hasher.verify('correct horse 42', stored)).toBe(true);
  });

  it('is the scrypt of the password with the stored salt (checked against node:crypto directly)', async () => {
    const stored = await cheap.hash('s3cret-password');
    const [, , , , salt, key] = stored.split('$');
    const expected = scryptSync('s3cret-password', Buffer.from(salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 });
    expect(Buffer.from(key, 'base64url').equals(expected)).toBe(true);
  });

  it('salts every hash and rejects wrong passwords', async () => {
    const a = await cheap.hash('same-password-1');
    const b = await cheap.hash('same-password-1');
    expect(a).not.toBe(b);
    expect(await cheap.verify('same-password-1', b)).toBe(true);
    expect(await cheap.verify('same-password-2', a)).toBe(false);
    expect(await cheap.verify('', a)).toBe(false);
  });

  it('verifies with the parameters stored in the hash, not its own', async () => {
    const stored = await cheap.hash('old-cost-pass-1');
    expect(await new PasswordHasher({ N: 4096, r: 8, p: 1 }).verify('old-cost-pass-1', stored)).toBe(true);
  });

  it('treats equivalent Unicode spellings as the same password', async () => {
    const stored = await cheap.hash('café-au-lait-1'); // é as one code point
    expect(await cheap.verify('cafe\u0301-au-lait-1', stored)).toBe(true); // e + combining acute
  });

  it('never matches a malformed or unsupported stored string', async () => {
    const stored = await cheap.hash('x-password-123');
    for (const bad of [
      '',
      'plain-text-password',
      stored.replace('scrypt$', 'bcrypt$'),
      stored.replace('$1024$', '$1000$'), // N not a power of two
      stored.replace('$8$1$', '$0$1$'),
      stored.split('$').slice(0, 5).join('$'),
    ]) {
      expect(await cheap.verify('x-password-123', bad)).toBe(false);
    }
  });

  it('answers false for unknown users after doing the same work', async () => {
    expect(await cheap.verifyNothing('anything-1')).toBe(false);
  });
});
