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
  providers: [JwtStrategy, AuthResolver, PasswordService],
  controllers: [],
  exports: [PassportModule, PasswordService],
})
export class AuthModule {}
