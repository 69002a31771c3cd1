import { forwardRef, Module } from "@nestjs/common";
import { PassportModule } from "@nestjs/passport";
import { BasicStrategy } from "./basic/basic.strategy";
import { UserModule } from "../user/user.module";

@Module({
  imports: [
    forwardRef(() => UserModule),
    PassportModule.register({ defaultStrategy: "basic" }),
  ],
  providers: [BasicStrategy],
})
export class AuthModule {}
