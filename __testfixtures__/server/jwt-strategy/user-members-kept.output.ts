import { Injectable, Logger } from "@nestjs/common";
import { JwtStrategyBase } from "./base/jwt.strategy.base";
import { UserService } from "../../user/user.service";
import { ConfigService } from "@nestjs/config";
import { Auth0Payload } from "./base/Auth0Payload";
import { UserInfo } from "../UserInfo";

@Injectable()
export class JwtStrategy extends JwtStrategyBase {
  // added by hand: log sign-ins
  protected readonly logger = new Logger(JwtStrategy.name);

  constructor(
    protected readonly configService: ConfigService,
    protected readonly userService: UserService,
  ) {
    super(configService, userService);
  }

  async validate(payload: Auth0Payload): Promise<UserInfo> {
    return (
      (await this.validateBase(payload)) ??
      (await this.createFromToken(payload))
    );
  }

  describe(): string {
    return `JwtStrategy for ${UserService.name}`;
  }
}
