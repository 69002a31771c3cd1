import { Args, Mutation, Resolver } from "@nestjs/graphql";
import { LoginArgs } from "../auth/LoginArgs";
import { UserService } from "./user.service";

// added by hand: self-service sign-up
@Resolver()
export class SignupResolver {
  constructor(private readonly userService: UserService) {}

  @Mutation(() => Boolean)
  async signup(@Args() args: LoginArgs): Promise<boolean> {
    await this.userService.createUser({
      data: { ...args.credentials, roles: [] },
    });
    return true;
  }
}
