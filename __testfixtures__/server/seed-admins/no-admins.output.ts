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

  // No first administrator is seeded: user.admins in auth0.config.json is empty. Add their
  // emails there and run `amplication-auth0 apply` again.
  const admins: string[] = [];

  console.info(`Administrators: ${admins.join(", ") || "none"}`);

  void client.$disconnect();

  console.info("Seeding database with custom seed...");
  customSeed();

  console.info("Seeded database successfully");
}
