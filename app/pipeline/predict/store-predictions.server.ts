/**
 * Storing a run's predictions: every run replaces the shop's whole set. The
 * model's answers go in once per distinct tuple (and per distinct (x, mean
 * value) for the spend model), column-wise in slices; one INSERT … SELECT
 * joins every staged customer summary to them. The rows are then either moved
 * into the shared default partition (small shops) or, from
 * OWN_PARTITION_MIN_CUSTOMERS on, loaded into a fresh table in key order,
 * indexed once, analysed and swapped in as the shop's own partition — a sorted
 * load and one index build instead of a million B-tree inserts.
 */
import type { TupleForecast } from "../../domain/clv/predictions";
import type { RfmTriple } from "../../domain/clv/summary";
import { float8Array, int4Array } from "../../platform/db/binary-array";
import { pgExecute, pgRows, type PgQueryable } from "../../platform/db/sql.server";
import { OWN_PARTITION_MIN_CUSTOMERS } from "../score/scoring.server";

/** Rows per INSERT … unnest statement: bounded parameter size at a million customers. */
const INSERT_SLICE = 50_000;

export interface StoreOptions {
  /** Customers from which the shop gets its own partition (tests lower it). */
  ownPartitionFrom?: number;
}

/** The model's answers of a sufficient run: per distinct tuple, and per distinct (x, mean value) when a spend model was fitted. */
export interface RunForecasts {
  tuples: readonly RfmTriple[];
  forecasts: readonly TupleForecast[];
  spend: { x: readonly number[]; meanRepeatValue: readonly number[]; expectedAverageValue: readonly number[] } | null;
}

/**
 * Replaces the shop's stored predictions with the staged customers' (forecasts null: the shop's are deleted).
 * Inside the caller's transaction, on the connection that staged rfm_customer_summary.
 */
export async function replacePredictions(
  client: PgQueryable,
  shop: string,
  runId: bigint,
  customers: number,
  run: RunForecasts | null,
  options: StoreOptions = {},
): Promise<void> {
  if (!run) {
    await pgExecute(client, "pipeline/predict/delete-predictions.sql", shop);
    return;
  }
  await stageForecasts(client, run);
  await pgExecute(client, "pipeline/predict/create-prediction-stage.sql");
  await pgExecute(client, "pipeline/predict/stage-predictions.sql", shop, runId);
  if (customers < (options.ownPartitionFrom ?? OWN_PARTITION_MIN_CUSTOMERS)) {
    await pgExecute(client, "pipeline/predict/delete-predictions.sql", shop);
    await pgExecute(client, "pipeline/predict/move-staged-predictions.sql");
    return;
  }
  const [ddl] = await pgRows(client, "pipeline/predict/prediction-partition.sql", shop, runId);
  if (!ddl) throw new Error("no partition statements");
  const exec = (text: string) => client.query({ text });
  await exec(ddl.create);
  await exec(ddl.load);
  // The index build sorts the whole shop: in memory, not in runs spilled to disk.
  await exec(`SET LOCAL maintenance_work_mem = '256MB'`);
  await exec(ddl.primaryKey);
  await exec(ddl.analyze);
  await exec(ddl.check);
  // From here to commit the parent is locked (DROP: ACCESS EXCLUSIVE) — the swap only, everything else is built.
  if (ddl.dropOld) await exec(ddl.dropOld);
  else await pgExecute(client, "pipeline/predict/delete-predictions.sql", shop);
  await exec(ddl.attach);
  await exec(ddl.dropCheck);
}

async function stageForecasts(client: PgQueryable, run: RunForecasts) {
  const { tuples, forecasts, spend } = run;
  const column = <T>(rows: readonly T[], at: number, value: (row: T) => number) => {
    const out = new Float64Array(Math.min(INSERT_SLICE, rows.length - at));
    for (let i = 0; i < out.length; i++) {
      const row = rows[at + i];
      out[i] = row === undefined ? NaN : value(row);
    }
    return out;
  };
  for (let at = 0; at < tuples.length; at += INSERT_SLICE) {
    await pgExecute(
      client,
      "pipeline/predict/insert-tuple-forecasts.sql",
      int4Array(column(tuples, at, (c) => c.x)),
      int4Array(column(tuples, at, (c) => c.txDays)),
      int4Array(column(tuples, at, (c) => c.TDays)),
      float8Array(column(forecasts, at, (c) => c.pAlive)),
      float8Array(column(forecasts, at, (c) => c.expectedOrders90)),
      float8Array(column(forecasts, at, (c) => c.expectedOrders365)),
      float8Array(column(forecasts, at, (c) => c.pOrder30)),
      float8Array(column(forecasts, at, (c) => c.pNoOrder90)),
      float8Array(column(forecasts, at, (c) => c.discountedOrders12m)),
    );
  }
  if (!spend) return;
  for (let at = 0; at < spend.x.length; at += INSERT_SLICE) {
    const end = at + INSERT_SLICE;
    await pgExecute(
      client,
      "pipeline/predict/insert-spend-forecasts.sql",
      int4Array(spend.x.slice(at, end)),
      float8Array(spend.meanRepeatValue.slice(at, end)),
      float8Array(spend.expectedAverageValue.slice(at, end)),
    );
  }
}

/** The temporary tables a run stages its summaries and forecasts in (dropped at commit). */
export const createSummaryStage = (client: PgQueryable) =>
  pgExecute(client, "pipeline/predict/create-summary-stage.sql");
