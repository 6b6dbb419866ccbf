import { ApiProperty } from '@nestjs/swagger';
import type {
  AccessTokenDto,
  ChangePasswordRequest,
  CredentialsRequest,
  CurrentUserDto,
  RegisteredUserDto,
  UserRoleDto,
} from '@encore/api-contract';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import {
  normaliseUsername,
  PASSWORD_MAX_LENGTH,
  PASSWORD_RULE,
  USERNAME_PATTERN,
  USERNAME_RULE,
} from './credential-policy';

const normalised = Transform(({ value }) => (typeof value === 'string' ? normaliseUsername(value) : value));

export class RegisterRequest implements CredentialsRequest {
  @ApiProperty({ example: 'ada', description: `Case-insensitive (stored lower-cased); ${USERNAME_RULE}` })
  @normalised
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_RULE })
  username!: string;

  @ApiProperty({ example: 'correct horse 42', description: `Password; ${PASSWORD_RULE}` })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class TokenRequest implements CredentialsRequest {
  @ApiProperty({ example: 'ada' })
  @normalised
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'correct horse 42' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class ChangePasswordBody implements ChangePasswordRequest {
  @ApiProperty({ example: 'correct horse 42' })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword!: string;

  @ApiProperty({ example: 'battery staple 43', description: `The new password; ${PASSWORD_RULE}` })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword!: string;
}

export class RegisteredUserSchema implements RegisteredUserDto {
  @ApiProperty({ example: '3f0c8a9e-2b1d-4c5e-9f7a-6b8c0d1e2f3a' }) id!: string;
  @ApiProperty({ example: 'ada' }) username!: string;
}

export class AccessTokenSchema implements AccessTokenDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ example: 3600, description: 'Seconds until the token expires' }) expiresIn!: number;
}

export class CurrentUserSchema implements CurrentUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() username!: string;
  @ApiProperty({ enum: ['listener', 'admin'] }) role!: UserRoleDto;
  @ApiProperty({ example: '2026-01-31T12:00:00.000Z' }) createdAt!: string;
}
