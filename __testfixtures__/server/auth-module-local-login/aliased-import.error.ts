import { forwardRef, Module } from "@nestjs/common";
import { JwtModule as Jwt } from "@nestjs/jwt";
import { PassportModule } from "@nestjs/passport";
import { AuditService } from "../audit/audit.service";
import { AuthController } from "./auth.controller";
import { AuthResolver } from "./auth.resolver";
import { AuthService } from "./auth.service";
import { JwtStrategy } from "./jwt/jwt.strategy";
import { PasswordService } from "./password.service";
import { TokenService } from "./token.service";
import { UserModule } from "../user/user.module";

@Module({
  imports: [
    forwardRef(() => UserModule),
    PassportModule.register({ defaultStrategy: "jwt" }),
    Jwt.register({ secret: process.env.JWT_SECRET_KEY }),
  ],
  providers: [
    AuthService,
    PasswordService,
    AuthResolver,
    JwtStrategy,
    TokenService,
    // added by hand: audit trail of sign-ins
    AuditService,
  ],
  controllers: [AuthController],
  exports: [AuthService, PasswordService, TokenService, AuditService],
})
export class AuthModule {}
