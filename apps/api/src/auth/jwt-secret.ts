import type { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JWT_SECRET_MIN_LENGTH } from '../config/platform-settings';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * JWT_SECRET when configured; otherwise the key kept in `<dataDir>/jwt-secret`, generated (48 random bytes) on first
 * use with mode 0600. A generated key survives restarts, so issued tokens stay valid, but it is per machine: replicas
 * need a shared JWT_SECRET, hence the warning.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string, logger: Logger): string {
  if (configured) return configured;
  const path = join(dataDir, JWT_SECRET_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails when the file exists, so two processes starting together cannot overwrite each other's key.
    writeFileSync(path, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    logger.warn(
      `JWT_SECRET is not set: generated a signing key in ${path} (mode 0600). Set JWT_SECRET for several replicas.`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if ((statSync(path).mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      logger.warn(`${path} was readable by other users; its mode is now 0600`);
    }
    logger.warn(`JWT_SECRET is not set: using the signing key kept in ${path}`);
  }
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < JWT_SECRET_MIN_LENGTH) {
    throw new Error(
      `${path} holds a key shorter than ${JWT_SECRET_MIN_LENGTH} characters; delete it to generate a new one`,
    );
  }
  return secret;
}
