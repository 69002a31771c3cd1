import { UnauthorizedException } from "@nestjs/common";
import { JwtStrategyBase } from "../../../auth/jwt/base/jwt.strategy.base";
import { TEST_USER } from "../constants";
import { UserService } from "../../../user/user.service";

describe("Testing the jwtStrategyBase.validate()", () => {
  const user = jest.fn();
  const userService = { user } as unknown as UserService;
  const jwtStrategy = new JwtStrategyBase("Secrete", userService);
  beforeEach(() => {
    user.mockClear();
  });
  it("should throw UnauthorizedException where there is no user", async () => {
    //ARRANGE
    user.mockReturnValue(Promise.resolve(null));
    //ACT
    const result = jwtStrategy.validate({
      id: TEST_USER.id,
      username: TEST_USER.username,
      roles: TEST_USER.roles,
    });
    //ASSERT
    return expect(result).rejects.toThrowError(UnauthorizedException);
  });
});
