import * as dotenv from "dotenv";
import { PrismaClient } from "@prisma/client";
import { customSeed } from "./customSeed";
import { randomBytes } from "crypto";

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

  // The first administrators (user.admins in auth0.config.json). No sign-in creates a user
  // (user.createMissingUsers is off), so the seed creates theirs; their roles come from Auth0
  // (user.roles.source "auth0"), granted by `amplication-auth0 provision`. They sign in with
  // Auth0: the password is random and never used.
  const admins: string[] = ["ada@example.test", "grace@example.test"];
  for (const email of admins) {
    await client.user.upsert({
      where: { email: email },
      update: {},
      create: {
        email: email,
        roles: [],
        password: randomBytes(32).toString("hex"),
        username: email,
      },
    });
  }

  void client.$disconnect();

  console.info("Seeding database with custom seed...");
  customSeed();

  console.info("Seeded database successfully");
}
