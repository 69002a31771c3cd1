import { forwardRef, Module } from "@nestjs/common";
import { PassportModule } from "@nestjs/passport";
import { AuthResolver } from "./auth.resolver";
import { JwtStrategy } from "./jwt/jwt.strategy";
import { PasswordService } from "./password.service";
import { UserModule } from "../user/user.module";
@Module({
  imports: [
    forwardRef(() => UserModule),
    PassportModule.register({ defaultStrategy: "jwt" }),
  ],
  providers: [PasswordService, AuthResolver, JwtStrategy],
  controllers: [],
  exports: [PasswordService],
})
export class AuthModule {}
