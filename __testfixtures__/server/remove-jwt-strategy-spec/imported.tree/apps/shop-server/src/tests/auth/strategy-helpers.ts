// added by hand: a helper that reuses the generated spec's setup
import { UnauthorizedException } from "@nestjs/common";
import * as strategySpec from "./jwt/jwt.strategy.spec";

export const rejected = UnauthorizedException;
export const spec = strategySpec;
