import { DocumentBuilder, SwaggerCustomOptions } from "@nestjs/swagger";

export const swaggerPath = "api";

export const swaggerDocumentOptions = new DocumentBuilder()
  .setTitle("Shop")
  .setDescription(
    "The REST API of the Shop service.\n\n## Congratulations! Your service resource is ready.\n  \nPlease note that all endpoints are secured with Auth0: send an access token of this API, from your Auth0 tenant, as a Bearer token.\nLearn more in [our docs](https://docs.amplication.com)",
  )
  .addBearerAuth()
  .build();

export const swaggerSetupOptions: SwaggerCustomOptions = {
  swaggerOptions: {
    persistAuthorization: true,
  },
  customSiteTitle: "Shop",
};
