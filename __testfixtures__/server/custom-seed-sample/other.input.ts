import { PrismaClient } from "@prisma/client";

export async function customSeed() {
  const client = new PrismaClient();

  //replace this sample code to populate your database
  //with data that is required for your service to start
  await client.product.count();

  client.$disconnect();
}
