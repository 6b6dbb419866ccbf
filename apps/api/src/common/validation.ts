import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
import type { FieldError } from '@encore/api-contract';

/** A 400 that carries one entry per offending field, rendered as ApiErrorBody.details. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly details: FieldError[]) {
    super(details.length > 0 ? `${details[0].field} ${details[0].message}` : 'invalid request');
  }
}

/** Flattens class-validator errors (nested ones as `parent.child`, array entries as `parent[3]`) into field/message pairs. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = !parent
      ? error.property
      : /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`;
    for (const message of Object.values(error.constraints ?? {})) {
      out.push({ field, message: withoutLeadingField(message, error.property) });
    }
    if (error.children?.length) out.push(...fieldErrors(error.children, field));
  }
  return out;
}

// class-validator messages start with the property name ("limit must not be …", "property foo should not exist");
// details name the field separately.
function withoutLeadingField(message: string, property: string): string {
  for (const prefix of [`${property} `, `property ${property} `])
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationException(fieldErrors(errors)),
  });
}
