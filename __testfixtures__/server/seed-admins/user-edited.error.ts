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
  const client = new PrismaClient();
  await client.user.createMany({ data: [{ username: "ops", password: "x", roles: ["admin"] }] });
  void client.$disconnect();
  customSeed();
}
