import { Module } from "@nestjs/common";
import { JwtModule } from "@nestjs/jwt";

// added by hand: signs links for a partner system
@Module({
  imports: [JwtModule.register({ secret: process.env.PARTNER_SECRET })],
})
export class LegacyModule {}
