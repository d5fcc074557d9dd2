import { mkdtemp, rm } from "node:fs/promises";
import { execute, queryRows } from "../../platform/db/sql.server";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Db } from "../../platform/db.server";
import { knownRestoreRate, paceFor, type WriteBackDeps } from "../../shopify/pacing.server";
import { AdminUserErrors } from "../../shopify/admin-errors.server";
import { aliasedBatchDriver } from "../../shopify/aliased-batch.server";
import { metafieldDefinitionCreate, metafieldsDelete } from "../../shopify/metafields.server";
import { METAFIELDS_SET_BULK, METAFIELDS_SET_CALL } from "../../shopify/operations/metafields";
import { JsonlParts, readBulkResults, runBulkMutation } from "../../shopify/bulk-mutation.server";
import { loadRfmSettings } from "../../settings/settings.server";
import { RECORD_BATCH, WRITE_BACK_PAGE_SIZE, type WriteBackPlan } from "./tags.server";

/**
 * RFM values as customer metafields in the plain `rfm` namespace, with
 * definitions: Shopify's segment editor filters on customer metafields that
 * have a definition (`metafields.rfm.segment = 'champions'`, `metafields.rfm.r_score >= 4`),
 * which is why the namespace is not an app-reserved `$app:` one. Values are
 * stable keys and numbers, never translated. Only customers whose values
 * changed are written: metafieldsSet (25 metafields per call) paced on the
 * bucket, or one bulk mutation for large change sets.
 */

export const METAFIELD_NAMESPACE = "rfm";

export const METAFIELD_DEFINITIONS = [
  {
    key: "segment",
    type: "single_line_text_field",
    name: "RFM segment",
    description: "The customer's RFM segment key (e.g. champions), set by the RFM app.",
  },
  {
    key: "r_score",
    type: "number_integer",
    name: "RFM recency score",
    description: "Recency score, 1 (longest ago) to 5.",
  },
  {
    key: "f_score",
    type: "number_integer",
    name: "RFM frequency score",
    description: "Frequency score, 1 (fewest orders) to 5.",
  },
  {
    key: "m_score",
    type: "number_integer",
    name: "RFM monetary score",
    description: "Monetary score, 1 (lowest net spend) to 5.",
  },
  { key: "rfm_code", type: "single_line_text_field", name: "RFM code", description: "R, F and M together, e.g. 545." },
  // Predictions as bands (domain/rfm/prediction-bands.ts): text, so segments filter with `=`; only written when a
  // band changes, and only for customers with a prediction.
  {
    key: "p_alive",
    type: "single_line_text_field",
    name: "RFM chance still active",
    description:
      "Predicted chance the customer still buys from you, in steps of 10 % (e.g. 30-40), set by the RFM app.",
  },
  {
    key: "predicted_value_12m",
    type: "single_line_text_field",
    name: "RFM predicted 12-month value",
    description:
      "Predicted value over the next 12 months against the shop's customers: top_10, top_25, top_50, bottom_50 or none.",
  },
  {
    key: "expected_orders_365",
    type: "single_line_text_field",
    name: "RFM expected orders next year",
    description: "Expected orders in the next 365 days: 0-0.5, 0.5-1, 1-2, 2-5 or 5+.",
  },
] as const;

type MetafieldKey = (typeof METAFIELD_DEFINITIONS)[number]["key"];
const BAND_KEYS = ["p_alive", "predicted_value_12m", "expected_orders_365"] as const satisfies readonly MetafieldKey[];

/** When the definition list last grew: shops whose definitions are older get the new ones created. */
const DEFINITIONS_CHANGED_AT = new Date("2026-12-04T18:00:00Z");

/** metafieldsSet takes at most 25 metafields: five customers without bands per call, three with. */
const METAFIELDS_PER_CALL = 25;
/** Customers per call without bands (the bulk threshold's estimate). */
const CUSTOMERS_PER_CALL = Math.floor(METAFIELDS_PER_CALL / (METAFIELD_DEFINITIONS.length - 3));

/** Rows into metafieldsSet calls of at most 25 metafields each, in order. */
function packCalls(rows: readonly Row[]): Row[][] {
  const calls: Row[][] = [];
  let call: Row[] = [];
  let size = 0;
  for (const r of rows) {
    const n = metafieldsOf(r.customerId, r.values).length;
    if (size + n > METAFIELDS_PER_CALL) {
      calls.push(call);
      call = [];
      size = 0;
    }
    call.push(r);
    size += n;
  }
  if (call.length > 0) calls.push(call);
  return calls;
}

export type MetafieldWriteBackDeps = WriteBackDeps;

export interface MetafieldWriteBackOutcome {
  mode: "paced" | "bulk" | "none";
  bulkOperations: number;
  customersChanged: number;
  /** Customers no longer scored (or all, with write-back off) whose RFM metafields were deleted. */
  customersCleared: number;
  /** Metafields Shopify deleted (it answers null for one that was not there). */
  metafieldsDeleted: number;
  requests: number;
  pointsSpent: number;
  waitedMs: number;
  failures: { customerId: string; messages: string[] }[];
  seconds: number;
}

/** A metafield write-back that changed nothing (yet). */
export function noMetafieldChanges(): MetafieldWriteBackOutcome {
  return {
    mode: "none",
    bulkOperations: 0,
    customersChanged: 0,
    customersCleared: 0,
    metafieldsDeleted: 0,
    requests: 0,
    pointsSpent: 0,
    waitedMs: 0,
    failures: [],
    seconds: 0,
  };
}

interface Row {
  customerId: bigint;
  values: string;
  /** Band metafields to delete before writing (the customer's prediction went). */
  drop: MetafieldKey[];
}

interface Bands {
  p: string | null;
  v: string | null;
  o: string | null;
}

/**
 * What was written, as one string: "segment|r|f|m", and "|p_alive|value|orders" after it once a customer has a
 * band (a missing band is empty), so customers without predictions keep the state they had before bands existed.
 */
const serialise = (segment: string, r: number | string, f: number | string, m: number | string, b: Bands) =>
  `${segment}|${r}|${f}|${m}` +
  (b.p === null && b.v === null && b.o === null ? "" : `|${b.p ?? ""}|${b.v ?? ""}|${b.o ?? ""}`);

/** The metafield values a serialised state stands for (band keys only when set). */
function valuesOf(values: string): Partial<Record<MetafieldKey, string>> {
  const [segment = "", r = "", f = "", m = "", p = "", v = "", o = ""] = values.split("|");
  const all: Record<MetafieldKey, string> = {
    segment,
    r_score: r,
    f_score: f,
    m_score: m,
    rfm_code: `${r}${f}${m}`,
    p_alive: p,
    predicted_value_12m: v,
    expected_orders_365: o,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== ""));
}

function metafieldsOf(customerId: bigint | string, values: string) {
  const ownerId = `gid://shopify/Customer/${customerId}`;
  const v = valuesOf(values);
  return METAFIELD_DEFINITIONS.flatMap((d) => {
    const value = v[d.key];
    return value === undefined ? [] : [{ ownerId, namespace: METAFIELD_NAMESPACE, key: d.key, type: d.type, value }];
  });
}

/** Per definition, the start of its metafield as JSON up to the owner's id, and the rest up to the value. */
const LINE_PARTS = METAFIELD_DEFINITIONS.map(
  (d) =>
    [
      d.key,
      `,"namespace":${JSON.stringify(METAFIELD_NAMESPACE)},"key":${JSON.stringify(d.key)},"type":${JSON.stringify(d.type)},"value":`,
    ] as const,
);

/** A bulk metafieldsSet line: the text JSON.stringify({ metafields: metafieldsOf(…) }) gives, without the objects. */
function metafieldsLine(customerId: bigint, values: string): string {
  const v = valuesOf(values);
  const owner = `{"ownerId":"gid://shopify/Customer/${customerId}"`;
  let line = '{"metafields":[';
  let first = true;
  for (const [key, rest] of LINE_PARTS) {
    const value = v[key];
    if (value === undefined) continue;
    line += `${first ? "" : ","}${owner}${rest}${JSON.stringify(value)}}`;
    first = false;
  }
  return `${line}]}`;
}

/** Band metafields a customer had written and no longer has a value for (their prediction went). */
function droppedBands(written: string | null, values: string): MetafieldKey[] {
  if (written === null) return [];
  const before = valuesOf(written);
  const now = valuesOf(values);
  return BAND_KEYS.filter((k) => before[k] !== undefined && now[k] === undefined);
}

/**
 * Scored customers whose metafield values differ from what was last written, in id order after `after`
 * (with `pendingUpTo`: only those marked for write-back). `last` is the last customer looked at.
 */
async function changedAfter(
  db: Db,
  shop: string,
  after: bigint,
  limit: number,
  pendingUpTo: bigint | null,
): Promise<{ rows: Row[]; last: bigint | null; read: number }> {
  const page =
    pendingUpTo === null
      ? await queryRows(db, "pipeline/write-back/metafield-changes.sql", shop, after, limit)
      : await queryRows(db, "pipeline/write-back/metafield-changes-pending.sql", shop, after, limit, pendingUpTo);
  const rows: Row[] = [];
  for (const p of page) {
    // A marked customer without a score: clearMetafields takes their metafields off.
    if (p.segment === null || p.r === null || p.f === null || p.m === null) continue;
    const values = serialise(p.segment, p.r, p.f, p.m, { p: p.p_alive_band, v: p.value_tier, o: p.orders_band });
    if (values !== p.written) rows.push({ customerId: p.id, values, drop: droppedBands(p.written, values) });
  }
  return { rows, last: page.at(-1)?.id ?? null, read: page.length };
}

async function recordWritten(db: Db, shop: string, rows: { id: string; values: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await execute(db, "pipeline/write-back/record-metafields-written.sql", shop, JSON.stringify(rows));
}

/**
 * Customers that dropped out of scoring (out of the window, deleted, merged)
 * lose their RFM metafields, so a segment filtering on them never shows a
 * stale value; with write-back switched off every customer loses them:
 * metafieldsDelete, 31 customers (8 metafields each; 250 is its limit) per call, paced.
 */
async function clearMetafields(
  deps: MetafieldWriteBackDeps,
  shop: string,
  outcome: MetafieldWriteBackOutcome,
  whose: "unscored" | "all",
  pendingUpTo: bigint | null,
): Promise<void> {
  let lastAt = (deps.now ?? Date.now)();
  for (;;) {
    const gone =
      whose === "all"
        ? await queryRows(deps.db, "pipeline/write-back/written-metafield-customers.sql", shop)
        : pendingUpTo === null
          ? await queryRows(deps.db, "pipeline/write-back/unscored-metafield-customers.sql", shop)
          : await queryRows(deps.db, "pipeline/write-back/unscored-pending-metafield-customers.sql", shop, pendingUpTo);
    if (gone.length === 0) return;
    outcome.waitedMs += await paceFor(deps, 10, lastAt);
    const deleted = await metafieldsDelete(
      deps.admin,
      gone.flatMap((g) =>
        METAFIELD_DEFINITIONS.map((d) => ({
          ownerId: `gid://shopify/Customer/${g.id}`,
          namespace: METAFIELD_NAMESPACE,
          key: d.key,
        })),
      ),
    );
    lastAt = (deps.now ?? Date.now)();
    outcome.requests++;
    outcome.pointsSpent += deps.admin.lastCost?.actualQueryCost ?? 10;
    if (deleted.userErrors.length > 0) throw new AdminUserErrors("metafieldsDelete", deleted.userErrors);
    // null for a metafield that was not there (the merchant deleted it): only real deletions count.
    outcome.metafieldsDeleted += (deleted.deletedMetafields ?? []).filter((m) => m !== null).length;
    await deps.db.customerMetafieldState.deleteMany({ where: { shop, customerId: { in: gone.map((g) => g.id) } } });
    outcome.customersCleared += gone.length;
  }
}

/**
 * Band metafields of customers whose prediction went (the shop no longer has enough data, say) are deleted, so a
 * segment on them never sees a stale band: metafieldsDelete, 250 identifiers per call, paced.
 */
async function dropBands(deps: MetafieldWriteBackDeps, rows: Row[], outcome: MetafieldWriteBackOutcome): Promise<void> {
  const identifiers = rows.flatMap((r) =>
    r.drop.map((key) => ({ ownerId: `gid://shopify/Customer/${r.customerId}`, namespace: METAFIELD_NAMESPACE, key })),
  );
  let lastAt = (deps.now ?? Date.now)();
  for (let i = 0; i < identifiers.length; i += METAFIELDS_DELETE_MAX) {
    outcome.waitedMs += await paceFor(deps, 10, lastAt);
    const deleted = await metafieldsDelete(deps.admin, identifiers.slice(i, i + METAFIELDS_DELETE_MAX));
    lastAt = (deps.now ?? Date.now)();
    outcome.requests++;
    outcome.pointsSpent += deps.admin.lastCost?.actualQueryCost ?? 10;
    if (deleted.userErrors.length > 0) throw new AdminUserErrors("metafieldsDelete", deleted.userErrors);
    outcome.metafieldsDeleted += (deleted.deletedMetafields ?? []).filter((m) => m !== null).length;
  }
}

/** metafieldsDelete takes at most 250 identifiers. */
const METAFIELDS_DELETE_MAX = 250;

async function ensureDefinitions(
  deps: MetafieldWriteBackDeps,
  shop: string,
  outcome: MetafieldWriteBackOutcome,
): Promise<void> {
  const row = await deps.db.shop.findUnique({ where: { shop }, select: { metafieldDefinitionsAt: true } });
  if (row?.metafieldDefinitionsAt && row.metafieldDefinitionsAt >= DEFINITIONS_CHANGED_AT) return;
  for (const d of METAFIELD_DEFINITIONS) {
    const created = await metafieldDefinitionCreate(deps.admin, {
      name: d.name,
      namespace: METAFIELD_NAMESPACE,
      key: d.key,
      type: d.type,
      ownerType: "CUSTOMER",
      description: d.description,
    });
    outcome.requests++;
    outcome.pointsSpent += deps.admin.lastCost?.actualQueryCost ?? 10;
    // Already there (a reinstall, say) is what we want.
    const errors = created.userErrors.filter((e) => e.code !== "TAKEN");
    if (errors.length > 0) throw new AdminUserErrors("metafieldDefinitionCreate", errors);
  }
  await deps.db.shop.update({ where: { shop }, data: { metafieldDefinitionsAt: new Date() } });
}

/** `dropped`: customers whose band metafields go (their prediction went) — few, so held. */
type Collected = ({ kind: "paced"; held: Row[] } | { kind: "bulk"; parts: JsonlParts }) & { dropped: Row[] };

/**
 * One pass over the customers to compare: changed values are held while they fit the paced path (10 points per
 * five customers) and go to a JSONL part on disk once there are more than the bulk threshold (default: what the
 * paced path would need over a minute for at the shop's restore rate).
 */
async function collectChanged(
  deps: MetafieldWriteBackDeps,
  shop: string,
  pageSize: number,
  pendingUpTo: bigint | null,
  dir: string,
  bulkThreshold: number | undefined,
): Promise<Collected> {
  let threshold = bulkThreshold ?? null;
  let held: Row[] = [];
  let parts: JsonlParts | null = null;
  const dropped: Row[] = [];
  for (let after = -1n; ;) {
    const { rows, last, read } = await changedAfter(deps.db, shop, after, pageSize, pendingUpTo);
    for (const r of rows) if (r.drop.length > 0) dropped.push(r);
    // A page at a time, each line built as text straight into the part.
    const spill = (to: JsonlParts, page: Row[]) =>
      to.writeLines(page.map((r) => metafieldsLine(r.customerId, r.values)));
    if (parts) await spill(parts, rows);
    else if (rows.length > 0) {
      held.push(...rows);
      threshold ??= Math.max(300, Math.ceil((await knownRestoreRate(deps.admin)) * 60 * (CUSTOMERS_PER_CALL / 10)));
      if (held.length > threshold) {
        parts = new JsonlParts(dir, "metafields");
        await spill(parts, held);
        held = [];
      }
    }
    // A short page is the last one: no round trip to learn that the next is empty.
    if (last === null || read < pageSize) break;
    after = last;
  }
  return parts ? { kind: "bulk", parts, dropped } : { kind: "paced", held, dropped };
}

export interface MetafieldWriteBackOptions {
  pageSize?: number;
  callsPerRequest?: number;
  bulkThreshold?: number;
  pollMs?: number;
  /** Only the customers marked in WriteBackPending up to this seq; null or absent: everyone. */
  pendingUpTo?: bigint | null;
}

export async function writeBackMetafields(
  deps: MetafieldWriteBackDeps,
  shop: string,
  options: MetafieldWriteBackOptions = {},
): Promise<MetafieldWriteBackOutcome> {
  const plan = await planMetafieldWriteBack(deps, shop, options);
  try {
    return await plan.write();
  } finally {
    await plan.dispose();
  }
}

/**
 * Finds the changed values (one pass) and decides paced or bulk; `write` clears the metafields of customers no
 * longer scored (all of them with write-back off), then sends the changes. Mode "paced" covers the clearing too.
 */
export async function planMetafieldWriteBack(
  deps: MetafieldWriteBackDeps,
  shop: string,
  options: MetafieldWriteBackOptions = {},
): Promise<WriteBackPlan<MetafieldWriteBackOutcome>> {
  const started = Date.now();
  const pendingUpTo = options.pendingUpTo ?? null;
  const pageSize = options.pageSize ?? WRITE_BACK_PAGE_SIZE;
  const outcome = noMetafieldChanges();
  const done = () => ({ ...outcome, seconds: (Date.now() - started) / 1000 });
  // Switched off (or "remove everything the app wrote"): no values written, every written one deleted.
  const { writeBack } = await loadRfmSettings(deps.db, shop);
  if (!writeBack.enabled)
    return {
      mode: "paced",
      dispose: async () => {},
      async write() {
        await clearMetafields(deps, shop, outcome, "all", null);
        return done();
      },
    };
  const dir = await mkdtemp(path.join(tmpdir(), "rfm-metafields-"));
  let collected: Collected | null = null;
  const dispose = async () => {
    if (collected?.kind === "bulk") await collected.parts.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    collected = await collectChanged(deps, shop, pageSize, pendingUpTo, dir, options.bulkThreshold);
  } catch (error) {
    await dispose();
    throw error;
  }
  const changed = collected;
  return {
    mode: changed.kind,
    dispose,
    async write() {
      await dropBands(deps, changed.dropped, outcome);
      await clearMetafields(deps, shop, outcome, "unscored", pendingUpTo);
      if (changed.kind === "paced" && changed.held.length === 0) return done();
      await ensureDefinitions(deps, shop, outcome);
      if (changed.kind === "bulk") await throughBulk(deps, shop, changed.parts, outcome, options.pollMs ?? 1_000);
      else await paced(deps, shop, changed.held, options.callsPerRequest ?? 5, outcome);
      outcome.seconds = (Date.now() - started) / 1000;
      if (outcome.failures.length > 0)
        deps.logger.warn(
          { shop, failures: outcome.failures.slice(0, 20), count: outcome.failures.length },
          "Shopify refused some metafield writes",
        );
      return outcome;
    },
  };
}

async function paced(
  deps: MetafieldWriteBackDeps,
  shop: string,
  rows: Row[],
  callsPerRequest: number,
  outcome: MetafieldWriteBackOutcome,
): Promise<void> {
  outcome.mode = "paced";
  const batches = aliasedBatchDriver(deps, { operation: "RfmMetafieldsSet", pointsPerCall: 10 });
  const packed = packCalls(rows);
  for (let i = 0; i < packed.length; i += callsPerRequest) {
    const calls = packed.slice(i, i + callsPerRequest);
    const { results, waitedMs } = await batches.send(calls, (call, k) => ({
      variables: [
        [`m${k}`, METAFIELDS_SET_CALL.variableType, call.flatMap((r) => metafieldsOf(r.customerId, r.values))],
      ],
      calls: [{ alias: `s${k}`, field: METAFIELDS_SET_CALL.field(`$m${k}`) }],
    }));
    outcome.waitedMs += waitedMs;
    outcome.requests++;
    outcome.pointsSpent += deps.admin.lastCost?.actualQueryCost ?? calls.length * 10;
    const accepted: { id: string; values: string }[] = [];
    calls.forEach((call, k) => {
      const errors = results[k]?.[`s${k}`] ?? [{ message: "no answer", field: null }];
      // metafieldsSet is atomic: one bad value refuses the whole call; name the customer it belongs to.
      if (errors.length === 0) {
        for (const r of call) accepted.push({ id: String(r.customerId), values: r.values });
        outcome.customersChanged += call.length;
        return;
      }
      // Customers have 5 or 8 metafields: the element index points into the call's flattened list.
      const ownerAt = call.flatMap((r) => metafieldsOf(r.customerId, r.values).map(() => r));
      for (const r of call) {
        const own = errors.filter(
          (e) => e.elementIndex === undefined || e.elementIndex === null || ownerAt[e.elementIndex] === r,
        );
        outcome.failures.push({
          customerId: String(r.customerId),
          messages: (own.length > 0 ? own : [{ message: "refused with another customer of the same call" }]).map(
            (e) => e.message,
          ),
        });
      }
    });
    await recordWritten(deps.db, shop, accepted);
  }
}

async function throughBulk(
  deps: MetafieldWriteBackDeps,
  shop: string,
  parts: JsonlParts,
  outcome: MetafieldWriteBackOutcome,
  pollMs: number,
): Promise<void> {
  outcome.mode = "bulk";
  for (const file of await parts.close()) {
    const op = await runBulkMutation(deps.admin, {
      mutation: METAFIELDS_SET_BULK,
      file,
      lines: parts.linesIn(file),
      pollMs,
      sleep: deps.sleepReal,
      onRequest: (points) => {
        outcome.requests++;
        outcome.pointsSpent += points;
      },
    });
    outcome.bulkOperations++;
    let accepted: { id: string; values: string }[] = [];
    const url = op.url ?? op.partialDataUrl;
    if (url)
      await readBulkResults(url, file, "metafieldsSet", async (input, messages) => {
        const fields = (input as { metafields: { ownerId: string; key: string; value: string }[] }).metafields;
        const id = (fields[0]?.ownerId ?? "").replace("gid://shopify/Customer/", "");
        if (messages.length > 0) return void outcome.failures.push({ customerId: id, messages });
        const v = new Map(fields.map((f) => [f.key, f.value]));
        const band = (key: MetafieldKey) => v.get(key) ?? null;
        const bands = { p: band("p_alive"), v: band("predicted_value_12m"), o: band("expected_orders_365") };
        accepted.push({
          id,
          values: serialise(
            v.get("segment") ?? "",
            v.get("r_score") ?? "",
            v.get("f_score") ?? "",
            v.get("m_score") ?? "",
            bands,
          ),
        });
        outcome.customersChanged++;
        if (accepted.length >= RECORD_BATCH) {
          await recordWritten(deps.db, shop, accepted);
          accepted = [];
        }
      });
    await recordWritten(deps.db, shop, accepted);
    if (op.status !== "COMPLETED")
      throw new Error(
        `Bulk metafield write ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}; accepted lines were recorded`,
      );
  }
}
