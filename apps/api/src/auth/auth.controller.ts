import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AccessTokenDto, CurrentUserDto, RegisteredUserDto } from '@encore/api-contract';
import { ApiErrorSchema } from '../common/api-error.schema';
import { UserIdPipe } from '../common/user-id.pipe';
import { type AuthenticatedUser, CredentialsRoute, CurrentUser, Public } from './access.decorators';
import {
  AccessTokenSchema,
  ChangePasswordBody,
  CurrentUserSchema,
  RegisteredUserSchema,
  RegisterRequest,
  TokenRequest,
} from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @Public()
  @CredentialsRoute()
  @ApiOperation({ summary: 'Create a listener account' })
  @ApiCreatedResponse({ type: RegisteredUserSchema })
  @ApiBadRequestResponse({
    type: ApiErrorSchema,
    description: 'Username or password breaks the rules; details name it',
  })
  @ApiConflictResponse({ type: ApiErrorSchema, description: 'The username is taken' })
  @ApiTooManyRequestsResponse({ type: ApiErrorSchema })
  register(@Body() body: RegisterRequest): Promise<RegisteredUserDto> {
    return this.auth.register(body.username, body.password);
  }

  @Post('token')
  @Public()
  @CredentialsRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange a username and password for a bearer access token (HS256 JWT)' })
  @ApiOkResponse({ type: AccessTokenSchema })
  @ApiUnauthorizedResponse({
    type: ApiErrorSchema,
    description: 'Unknown user or wrong password (one message for both)',
  })
  @ApiTooManyRequestsResponse({ type: ApiErrorSchema })
  token(@Body() body: TokenRequest): Promise<AccessTokenDto> {
    return this.auth.issueToken(body.username, body.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The account the token belongs to' })
  @ApiOkResponse({ type: CurrentUserSchema })
  @ApiUnauthorizedResponse({ type: ApiErrorSchema })
  me(@CurrentUser() user: AuthenticatedUser): Promise<CurrentUserDto> {
    return this.auth.describe(user.id);
  }

  @Post('password')
  @CredentialsRoute()
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change the password; answers a fresh token, and every token issued before stops working (all devices)',
  })
  @ApiOkResponse({ type: AccessTokenSchema })
  @ApiBadRequestResponse({ type: ApiErrorSchema, description: 'The new password breaks the rules; details name it' })
  @ApiUnauthorizedResponse({ type: ApiErrorSchema, description: 'No valid token, or the current password is wrong' })
  @ApiTooManyRequestsResponse({ type: ApiErrorSchema })
  changePassword(@CurrentUser() user: AuthenticatedUser, @Body() body: ChangePasswordBody): Promise<AccessTokenDto> {
    return this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }

  @Post('logout')
  @ApiBearerAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke every token issued so far for this account (all devices)' })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ type: ApiErrorSchema })
  logout(@CurrentUser() user: AuthenticatedUser): Promise<void> {
    return this.auth.revokeTokens(user.id);
  }
}

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/users')
export class AccountsController {
  constructor(private readonly auth: AuthService) {}

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an account with its interactions (owner or admin); its tokens stop working' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ApiErrorSchema })
  deleteAccount(@Param('id', UserIdPipe) id: string): Promise<void> {
    return this.auth.deleteAccount(id);
  }
}
