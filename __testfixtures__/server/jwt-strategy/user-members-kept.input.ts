import { Inject, Injectable, Logger } from "@nestjs/common";
import { JWT_SECRET_KEY_PROVIDER_NAME } from "../../constants";
import { JwtStrategyBase } from "./base/jwt.strategy.base";
import { UserService } from "../../user/user.service";

@Injectable()
export class JwtStrategy extends JwtStrategyBase {
  // added by hand: log sign-ins
  protected readonly logger = new Logger(JwtStrategy.name);

  constructor(
    @Inject(JWT_SECRET_KEY_PROVIDER_NAME) secretOrKey: string,
    protected readonly userService: UserService,
  ) {
    super(secretOrKey, userService);
  }

  describe(): string {
    return `JwtStrategy for ${UserService.name}`;
  }
}
