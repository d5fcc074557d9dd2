/**
 * Storing a run's predictions: every run replaces the shop's whole set. The
 * rows are staged column-wise (INSERT … unnest, in slices), then either moved
 * into the shared default partition (small shops) or, from
 * OWN_PARTITION_MIN_CUSTOMERS on, loaded into a fresh table in key order,
 * indexed once and swapped in as the shop's own partition — a sorted load
 * and two index builds instead of a million B-tree inserts.
 */
import type { CustomerPrediction } from "../../domain/clv/predictions";
import type { DbTx } from "../../platform/db.server";
import { execute, queryRows } from "../../platform/db/sql.server";
import { SQL_FILES } from "../../generated/sql";
import { OWN_PARTITION_MIN_CUSTOMERS } from "../score/scoring.server";

/** Rows per INSERT … unnest statement: bounded parameter size at a million customers. */
const INSERT_SLICE = 50_000;

export interface StoreOptions {
  /** Customers from which the shop gets its own partition (tests lower it). */
  ownPartitionFrom?: number;
}

/** Replaces the shop's stored predictions with these (none: the shop's are deleted). Inside the caller's transaction. */
export async function replacePredictions(
  tx: DbTx,
  shop: string,
  runId: bigint,
  predictions: CustomerPrediction[],
  options: StoreOptions = {},
): Promise<void> {
  await tx.$executeRawUnsafe(SQL_FILES["pipeline/predict/create-prediction-stage.sql"].text);
  await stage(tx, shop, runId, predictions);
  if (predictions.length < (options.ownPartitionFrom ?? OWN_PARTITION_MIN_CUSTOMERS)) {
    await execute(tx, "pipeline/predict/delete-predictions.sql", shop);
    await execute(tx, "pipeline/predict/move-staged-predictions.sql");
    return;
  }
  const [ddl] = await queryRows(tx, "pipeline/predict/prediction-partition.sql", shop, runId);
  if (!ddl) throw new Error("no partition statements");
  await tx.$executeRawUnsafe(ddl.create);
  await tx.$executeRawUnsafe(ddl.load);
  // Each index build sorts the whole shop: in memory, not in runs spilled to disk.
  await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '256MB'`);
  await tx.$executeRawUnsafe(ddl.primaryKey);
  await tx.$executeRawUnsafe(ddl.valueIndex);
  await tx.$executeRawUnsafe(ddl.check);
  // From here to commit the parent is locked (DROP: ACCESS EXCLUSIVE) — the swap only, everything else is built.
  if (ddl.dropOld) await tx.$executeRawUnsafe(ddl.dropOld);
  else await execute(tx, "pipeline/predict/delete-predictions.sql", shop);
  await tx.$executeRawUnsafe(ddl.attach);
  await tx.$executeRawUnsafe(ddl.dropCheck);
}

async function stage(tx: DbTx, shop: string, runId: bigint, predictions: CustomerPrediction[]) {
  for (let at = 0; at < predictions.length; at += INSERT_SLICE) {
    const slice = predictions.slice(at, at + INSERT_SLICE);
    await execute(
      tx,
      "pipeline/predict/insert-predictions.sql",
      shop,
      runId,
      slice.map((p) => p.customerId),
      slice.map((p) => p.pAlive),
      slice.map((p) => p.expectedOrders90),
      slice.map((p) => p.expectedOrders365),
      slice.map((p) => p.pOrder30),
      slice.map((p) => p.pNoOrder90),
      allOrNone(slice.map((p) => p.expectedAverageValue)),
      allOrNone(slice.map((p) => p.predictedValue12m)),
    );
  }
}

/** A value column: every customer has one (a spend model was fitted) or none has. */
function allOrNone(values: (number | null)[]): number[] | null {
  const present = values.flatMap((v) => (v === null ? [] : [v]));
  if (present.length === values.length) return present;
  if (present.length === 0) return null;
  throw new Error("predicted values missing for some customers only");
}
