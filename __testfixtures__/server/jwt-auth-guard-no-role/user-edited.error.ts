import { ExecutionContext } from "@nestjs/common";
import { AuthGuard } from "@nestjs/passport";

export class JwtAuthGuard extends AuthGuard("jwt") {
  canActivate(context: ExecutionContext) {
    // A user's own rule: only during office hours.
    return new Date().getHours() >= 8 && super.canActivate(context);
  }
}
