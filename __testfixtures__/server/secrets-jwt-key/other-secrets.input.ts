export enum EnumSecretsNameKey {
  JwtSecretKey = "JWT_SECRET_KEY",
  StripeApiKey = "STRIPE_API_KEY",
}
