import { Injectable } from "@nestjs/common";
import { ConfigService } from "@nestjs/config";
import { JWT_EXPIRATION } from "../constants";

// added by hand: session length follows the old JWT setting
@Injectable()
export class SessionService {
  constructor(private readonly configService: ConfigService) {}

  ttl(): string {
    return this.configService.get(JWT_EXPIRATION) ?? "2d";
  }
}
