import { createHash } from 'node:crypto';
import { Sha256, sha256Hex } from '../index';

describe('sha256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('handles every padding boundary (55, 56, 63, 64, 65 bytes) like node:crypto', () => {
    for (const n of [1, 55, 56, 57, 63, 64, 65, 119, 120, 128]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 0xff);
      expect(sha256Hex(data)).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('hashes 1 MB like node:crypto, in one call and in uneven chunks', () => {
    const data = new Uint8Array(1 << 20);
    let x = 12345;
    for (let i = 0; i < data.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      data[i] = x >>> 24;
    }
    const expected = createHash('sha256').update(data).digest('hex');
    expect(sha256Hex(data)).toBe(expected);
    const h = new Sha256();
    for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7 + 3) % 1000) {
      h.update(data.subarray(at, Math.min(at + step, data.length)));
    }
    expect(h.hex()).toBe(expected);
  });

  it('refuses to be reused after digest', () => {
    const h = new Sha256().update(new Uint8Array([1]));
    h.digest();
    expect(() => h.update(new Uint8Array([2]))).toThrow(/after digest/);
    expect(() => h.digest()).toThrow(/twice/);
  });
});
