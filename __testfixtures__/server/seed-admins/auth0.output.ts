import * as dotenv from "dotenv";
import { PrismaClient } from "@prisma/client";
import { customSeed } from "./customSeed";

if (require.main === module) {
  dotenv.config();

  seed().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

async function seed() {
  console.info("Seeding database...");

  const client = new PrismaClient();

  // The first administrators (user.admins) get their roles in Auth0 (user.roles.source
  // "auth0") from `amplication-auth0 provision`; their users are created at first sign-in.
  const admins: string[] = ["ada@example.test"];

  console.info(
    `Administrators, with their roles in Auth0: ${admins.join(", ") || "none"}`,
  );

  void client.$disconnect();

  console.info("Seeding database with custom seed...");
  customSeed();

  console.info("Seeded database successfully");
}
