import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";
import { env } from "./env.server";

export type Db = PrismaClient;

export function createDb(connectionString: string, poolMax = 10): Db {
  const adapter = new PrismaPg({ connectionString, max: poolMax });
  return new PrismaClient({ adapter });
}

declare global {
  var __rfmDb: Db | undefined;
}

/** The app's one Prisma client (kept across Vite dev reloads). */
export function db(): Db {
  if (!globalThis.__rfmDb) {
    const { DATABASE_URL, DATABASE_POOL_MAX } = env();
    globalThis.__rfmDb = createDb(DATABASE_URL, DATABASE_POOL_MAX);
  }
  return globalThis.__rfmDb;
}

/** A Prisma interactive-transaction client; model functions that must join a caller's transaction take this. */
export type DbTx = Prisma.TransactionClient;
