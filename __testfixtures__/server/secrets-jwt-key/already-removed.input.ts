export enum EnumSecretsNameKey {
  StripeApiKey = "STRIPE_API_KEY",
}
