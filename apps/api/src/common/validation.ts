import { type ArgumentMetadata, BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
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
    // class-validator lists constraints in decorator application order, bottom-up; reversed they follow the DTO,
    // which states the type first, so a missing field reads "must be an array", not "each value … 64 characters".
    for (const message of Object.values(error.constraints ?? {}).reverse()) {
      out.push({ field, message: withoutLeadingField(message, error.property) });
    }
    if (error.children?.length) out.push(...fieldErrors(error.children, field));
  }
  return out;
}

// class-validator messages start with the property name ("limit must not be …", "property foo should not exist",
// "each value in exclude must …"); details name the field separately.
function withoutLeadingField(message: string, property: string): string {
  if (message.startsWith(`each value in ${property} `))
    return `each value ${message.slice(`each value in ${property} `.length)}`;
  for (const prefix of [`${property} `, `property ${property} `])
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}

/** Far deeper than any request body of this API (the training parameters nest three levels). */
export const MAX_INPUT_DEPTH = 32;

/**
 * The top-level property under which `value` nests deeper than `max` objects and arrays (`''` for the value
 * itself), or `undefined`. Iterative, because the recursive class-transformer and class-validator would overflow
 * the stack on the input this guards against.
 */
export function tooDeeplyNested(value: unknown, max: number): string | undefined {
  const stack: [unknown, number, string][] = [[value, 0, '']];
  while (stack.length > 0) {
    const [node, depth, top] = stack.pop() as [unknown, number, string];
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return top;
    for (const [key, child] of Object.entries(node))
      stack.push([child, depth + 1, depth === 0 && !Array.isArray(node) ? key : top]);
  }
  return undefined;
}

/**
 * Nest's ValidationPipe, refusing first what would crash it: a body or query nested so deeply (a 100 kB body holds
 * 50,000 levels of `[`) that transforming it overflows the stack, which would be a 500.
 */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = tooDeeplyNested(value, MAX_INPUT_DEPTH);
    if (field !== undefined) {
      throw new RequestValidationException([
        {
          field: field || metadata.type,
          message: `must not nest objects or arrays deeper than ${MAX_INPUT_DEPTH} levels`,
        },
      ]);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => new RequestValidationException(fieldErrors(errors)),
  });
}
