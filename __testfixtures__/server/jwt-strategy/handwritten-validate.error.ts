import { Inject, Injectable } from "@nestjs/common";
import { JWT_SECRET_KEY_PROVIDER_NAME } from "../../constants";
import { JwtStrategyBase } from "./base/jwt.strategy.base";
import { UserService } from "../../user/user.service";
import { UserInfo } from "../UserInfo";

@Injectable()
export class JwtStrategy extends JwtStrategyBase {
  constructor(
    @Inject(JWT_SECRET_KEY_PROVIDER_NAME) secretOrKey: string,
    protected readonly userService: UserService,
  ) {
    super(secretOrKey, userService);
  }

  // added by hand: only admins may use the API
  async validate(payload: UserInfo): Promise<UserInfo> {
    if (!payload.roles.includes("admin")) throw new Error("forbidden");
    return payload;
  }
}
