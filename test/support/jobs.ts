import { PgBoss } from "pg-boss";

/** Enqueues a job on the test database's pg-boss, as the app's UI or CLI would. */
export async function enqueueOrdersSync(shop: string, kind: "backfill" | "reconcile" | "customers"): Promise<void> {
  const boss = new PgBoss({
    connectionString: process.env.DATABASE_URL as string,
    schema: "pgboss",
    supervise: false,
    schedule: false,
    migrate: false,
  });
  await boss.start();
  try {
    await boss.send("orders.sync", { shop, kind }, { singletonKey: shop });
  } finally {
    await boss.stop({ graceful: false });
  }
}
