import { Injectable } from "@nestjs/common";
import { PassportStrategy } from "@nestjs/passport";
import { BearerStrategy } from "passport-azure-ad";

// Replaced by hand with Azure AD.
@Injectable()
export class AzureAdStrategyBase extends PassportStrategy(BearerStrategy) {}
