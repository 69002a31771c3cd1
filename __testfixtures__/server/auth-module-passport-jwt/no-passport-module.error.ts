import { forwardRef, Module } from "@nestjs/common";
import { AzureAdStrategy } from "./azure/azure.strategy";
import { UserModule } from "../user/user.module";

// Auth replaced by hand with another identity provider: no PassportModule left.
@Module({
  imports: [forwardRef(() => UserModule)],
  providers: [AzureAdStrategy],
  exports: [],
})
export class AuthModule {}
