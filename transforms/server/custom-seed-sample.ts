/**
 * server/custom-seed-sample: scripts/customSeed.ts, while it is still Amplication's sample, stops
 * updating the `admin` user.
 *
 * The sample renames the seeded `admin` user to itself, and fails when there is none; the
 * converted seed (server/seed-admins) no longer creates one, so the seed script would end in an
 * unhandled rejection. The file is the user's (Amplication never overwrites it): anything but
 * the untouched sample is left alone, so this rule never refuses.
 */
import type { FileEdit } from "../../src/plan/rule";

/** The sample's statements after `new PrismaClient(...)`, whitespace removed. */
const SAMPLE_UPDATE =
  /constusername="admin";\/\/replacethissamplecodetopopulateyourdatabase\/\/withdatathatisrequiredforyourservicetostartawaitclient\.\w+\.update\(\{where:\{username:username\},data:\{username,?\},?\}\);/;

const customSeedSample: FileEdit = (source) => {
  if (source === undefined) return undefined;
  const start = source.indexOf('  const username = "admin";');
  const end = source.indexOf("  client.$disconnect();");
  if (start === -1 || end === -1 || end < start) return undefined;
  const sample = source.slice(start, end).replace(/\s+/g, "");
  if (!SAMPLE_UPDATE.test(sample) || sample.replace(SAMPLE_UPDATE, "") !== "")
    return undefined;
  return (
    source.slice(0, start) +
    "  //replace this sample code to populate your database\n" +
    "  //with data that is required for your service to start\n\n" +
    source.slice(end)
  );
};

export default customSeedSample;
