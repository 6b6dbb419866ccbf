import { ApiProperty } from '@nestjs/swagger';
import type { ApiErrorBody, FieldError } from '@encore/api-contract';

export class FieldErrorSchema implements FieldError {
  @ApiProperty({ example: 'limit' }) field!: string;
  @ApiProperty({ example: 'must not be greater than 100' }) message!: string;
}

/** OpenAPI description of the one error body every endpoint returns. */
export class ApiErrorSchema implements ApiErrorBody {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'limit must not be greater than 100' }) message!: string;
  @ApiProperty({ type: [FieldErrorSchema] }) details!: FieldErrorSchema[];
  @ApiProperty({ example: '0b5c4f7e-4a51-4c59-9a3e-2f8a1d0c9e11' }) requestId!: string;
}
