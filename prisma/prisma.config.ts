import { defineConfig } from "prisma/config";

// The URL is read lazily so `prisma generate` works without a database.
export default defineConfig({
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://unset@127.0.0.1:1/unset" },
});
