import { Injectable, type PipeTransform } from '@nestjs/common';
import { RequestValidationException } from './validation';

/** Account ids are UUIDs and simulated listeners `sim-u0001`; anything else cannot name a user (and could not be a cache namespace). */
export const USER_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;

@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!USER_ID_PATTERN.test(value)) {
      throw new RequestValidationException([
        { field: 'id', message: 'must be 1 to 128 characters of A-Z a-z 0-9 _ . -' },
      ]);
    }
    return value;
  }
}
