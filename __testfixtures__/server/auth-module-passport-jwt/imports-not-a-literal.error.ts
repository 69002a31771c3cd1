import { Module } from "@nestjs/common";
import { authImports } from "./auth.imports";

@Module({
  imports: authImports,
})
export class AuthModule {}
