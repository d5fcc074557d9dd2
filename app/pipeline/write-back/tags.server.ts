import type { Db } from "../../platform/db.server";
import { execute, queryRows } from "../../platform/db/sql.server";
import { knownRestoreRate, type WriteBackDeps } from "../../shopify/pacing.server";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { aliasedBatchDriver, type AliasedCall, type AliasedItemRequest } from "../../shopify/aliased-batch.server";
import { customerGid } from "../../shopify/customers.server";
import { TAGS_ADD, TAGS_ADD_CALL, TAGS_REMOVE, TAGS_REMOVE_CALL } from "../../shopify/operations/tags";
import { JsonlParts, readBulkResults, runBulkMutation } from "../../shopify/bulk-mutation.server";
import { appTagsFor, tagChange, type TaggedSegment } from "../../domain/rfm/tags";
import { loadRfmSettings } from "../../settings/settings.server";

/**
 * Writes the app's tags to Shopify customers: only customers whose app tags
 * must change, with tagsRemove/tagsAdd (never customerUpdate(tags:), so
 * merchant tags are never rewritten), paced on throttleStatus. What Shopify
 * accepted is recorded per batch in CustomerTagState, so a run that dies half
 * way resumes where it stopped and a second run writes nothing.
 */

export type TagWriteBackDeps = WriteBackDeps;

/**
 * Customers read from the database at a time when finding changes: small pages keep what a page holds from living
 * long enough to be promoted (2 000 per page peaked ≈ 85 MB higher in heap over 200 000 customers than 500).
 */
export const WRITE_BACK_PAGE_SIZE = 500;

/**
 * Accepted bulk lines recorded per statement (a run that dies resumes after the last one). 5 000 cut a day two's
 * round trips but let a first run's heap grow ≈ 90 MB while it read 200 000 results.
 */
export const RECORD_BATCH = 1_000;

export interface TagWriteBackOptions {
  /** Customers per GraphQL request (each costs up to 20 points: a remove and an add). */
  batchSize?: number;
  /** Rows read from the database at a time. */
  pageSize?: number;
  /** Above this many changed customers, write through bulk mutations instead (default: see collectChanges). */
  bulkThreshold?: number;
  /** How often to poll a running bulk operation. */
  pollMs?: number;
  /** Only the customers marked in WriteBackPending up to this seq; null or absent: everyone. */
  pendingUpTo?: bigint | null;
}

export interface TagWriteBackOutcome {
  mode: "paced" | "bulk" | "none";
  bulkOperations: number;
  customersChanged: number;
  mutations: number;
  requests: number;
  pointsSpent: number;
  waitedMs: number;
  failures: { customerId: string; messages: string[] }[];
  seconds: number;
}

/** A tag write-back that changed nothing (yet). */
export function noTagChanges(): TagWriteBackOutcome {
  return {
    mode: "none",
    bulkOperations: 0,
    customersChanged: 0,
    mutations: 0,
    requests: 0,
    pointsSpent: 0,
    waitedMs: 0,
    failures: [],
    seconds: 0,
  };
}

interface Change {
  customerId: bigint;
  written: string[];
  desired: string[];
  add: string[];
  remove: string[];
}

/** One customer's part of a request: a tagsRemove then a tagsAdd (mutation fields run in order). */
function tagCalls(c: Change, i: number): AliasedItemRequest {
  const variables: [string, string, unknown][] = [[`id${i}`, "ID!", customerGid(c.customerId)]];
  const calls: AliasedCall[] = [];
  if (c.remove.length > 0) {
    variables.push([`rm${i}`, "[String!]!", c.remove]);
    calls.push({ alias: `r${i}`, field: TAGS_REMOVE_CALL(`$id${i}`, `$rm${i}`) });
  }
  if (c.add.length > 0) {
    variables.push([`add${i}`, "[String!]!", c.add]);
    calls.push({ alias: `a${i}`, field: TAGS_ADD_CALL(`$id${i}`, `$add${i}`) });
  }
  return { variables, calls };
}

/**
 * Customers whose app tags differ from what they should be, in id order after
 * `after`. With `pendingUpTo`, only the customers marked for write-back are
 * looked at (a write-back after a re-score); without, every customer.
 */
async function changesAfter(
  db: Db,
  shop: string,
  after: bigint,
  limit: number,
  settings: Awaited<ReturnType<typeof loadRfmSettings>>,
  pendingUpTo: bigint | null,
) {
  const rows =
    pendingUpTo === null
      ? await queryRows(db, "pipeline/write-back/tag-changes.sql", shop, after, limit)
      : await queryRows(db, "pipeline/write-back/tag-changes-pending.sql", shop, after, limit, pendingUpTo);
  const changes: Change[] = [];
  for (const r of rows) {
    const written = r.written ?? [];
    const desired = appTagsFor(r.segment as TaggedSegment | null, r.behaviours ?? [], settings);
    const { add, remove } = tagChange(written, desired);
    if (add.length > 0 || remove.length > 0) changes.push({ customerId: r.id, written, desired, add, remove });
  }
  return { changes, last: rows.at(-1)?.id ?? null, rows: rows.length };
}

/** Records what Shopify accepted: per customer the tags now on it that the app wrote. */
async function recordWritten(db: Db, shop: string, accepted: { customerId: bigint; tags: string[] }[]): Promise<void> {
  if (accepted.length === 0) return;
  const keep = accepted.filter((a) => a.tags.length > 0);
  const drop = accepted.filter((a) => a.tags.length === 0).map((a) => a.customerId);
  await db.$transaction([
    execute(
      db,
      "pipeline/write-back/record-tags-written.sql",
      shop,
      JSON.stringify(keep.map((a) => ({ id: String(a.customerId), tags: a.tags }))),
    ),
    db.customerTagState.deleteMany({ where: { shop, customerId: { in: drop } } }),
  ]);
}

export async function writeBackTags(
  deps: TagWriteBackDeps,
  shop: string,
  options: TagWriteBackOptions = {},
): Promise<TagWriteBackOutcome> {
  const plan = await planTagWriteBack(deps, shop, options);
  try {
    return await plan.write();
  } finally {
    await plan.dispose();
  }
}

/** A write-back whose changes are found (held, or on disk for bulk) and not yet sent. */
export interface WriteBackPlan<Outcome> {
  mode: "paced" | "bulk" | "none";
  write(): Promise<Outcome>;
  /** Removes the bulk files; after write or instead of it. */
  dispose(): Promise<void>;
}

/** Finds the tag changes (one pass) and decides paced or bulk; `write` sends them. */
export async function planTagWriteBack(
  deps: TagWriteBackDeps,
  shop: string,
  options: TagWriteBackOptions = {},
): Promise<WriteBackPlan<TagWriteBackOutcome>> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 25;
  const pageSize = options.pageSize ?? WRITE_BACK_PAGE_SIZE;
  const settings = await loadRfmSettings(deps.db, shop);
  const outcome = noTagChanges();
  const pendingUpTo = options.pendingUpTo ?? null;
  const dir = await mkdtemp(path.join(tmpdir(), "rfm-tags-"));
  let changes: Collected | null = null;
  const dispose = async () => {
    if (changes?.kind === "bulk") await Promise.all([changes.parts.remove.close(), changes.parts.add.close()]);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    changes = await collectChanges(deps, shop, settings, pageSize, pendingUpTo, dir, options.bulkThreshold);
  } catch (error) {
    await dispose();
    throw error;
  }
  const collected = changes;
  const mode = collected.kind === "bulk" ? "bulk" : collected.held.length > 0 ? "paced" : "none";
  return {
    mode,
    dispose,
    async write() {
      outcome.mode = mode;
      if (collected.kind === "bulk") await writeThroughBulk(deps, shop, collected, outcome, options.pollMs ?? 1_000);
      else if (collected.held.length > 0) await writePaced(deps, shop, collected.held, batchSize, outcome);
      outcome.seconds = (Date.now() - started) / 1000;
      if (outcome.failures.length > 0)
        deps.logger.warn(
          { shop, failures: outcome.failures.slice(0, 20), count: outcome.failures.length },
          "Shopify refused some tag changes",
        );
      return outcome;
    },
  };
}

type Collected =
  { kind: "paced"; held: Change[] } | { kind: "bulk"; changed: number; parts: { remove: JsonlParts; add: JsonlParts } };

/**
 * One pass over the customers to compare: their changes are held while they fit the paced path and go to JSONL
 * parts on disk once there are more than the bulk threshold (default: what the paced path would need more than a
 * minute for at the shop's restore rate — a bulk operation costs no points but takes its own seconds to start and
 * finish). One pass, so a day-two run reads its marked customers once, and memory does not grow with the shop.
 */
async function collectChanges(
  deps: TagWriteBackDeps,
  shop: string,
  settings: Awaited<ReturnType<typeof loadRfmSettings>>,
  pageSize: number,
  pendingUpTo: bigint | null,
  dir: string,
  bulkThreshold: number | undefined,
): Promise<Collected> {
  let threshold = bulkThreshold ?? null;
  let held: Change[] = [];
  let bulk: Extract<Collected, { kind: "bulk" }> | null = null;
  // A page at a time, each line built as text (what JSON.stringify({ id, tags }) gives) straight into the part.
  const spill = async (changes: Change[], to: Extract<Collected, { kind: "bulk" }>) => {
    to.changed += changes.length;
    for (const kind of ["remove", "add"] as const)
      await to.parts[kind].writeLines(
        changes
          .filter((c) => c[kind].length > 0)
          .map((c) => `{"id":"${customerGid(c.customerId)}","tags":${JSON.stringify(c[kind])}}`),
      );
  };
  for (let after = -1n; ;) {
    const { changes, last, rows } = await changesAfter(deps.db, shop, after, pageSize, settings, pendingUpTo);
    if (bulk) await spill(changes, bulk);
    else if (changes.length > 0) {
      held.push(...changes);
      threshold ??= Math.max(300, Math.ceil(((await knownRestoreRate(deps.admin)) * 60) / 20));
      if (held.length > threshold) {
        bulk = {
          kind: "bulk",
          changed: 0,
          parts: { remove: new JsonlParts(dir, "remove"), add: new JsonlParts(dir, "add") },
        };
        await spill(held, bulk);
        held = [];
      }
    }
    // A short page is the last one: no round trip to learn that the next is empty.
    if (last === null || rows < pageSize) break;
    after = last;
  }
  return bulk ?? { kind: "paced", held };
}

/** Paced requests of `batchSize` customers; what Shopify accepted is recorded per request. */
async function writePaced(
  deps: TagWriteBackDeps,
  shop: string,
  changes: Change[],
  batchSize: number,
  outcome: TagWriteBackOutcome,
): Promise<void> {
  const batches = aliasedBatchDriver(deps, { operation: "AppTagsWriteBack", pointsPerCall: 10 });
  for (let i = 0; i < changes.length; i += batchSize) {
    const batch = changes.slice(i, i + batchSize);
    const { results, calls: mutations, waitedMs } = await batches.send(batch, tagCalls);
    outcome.waitedMs += waitedMs;
    outcome.requests++;
    outcome.mutations += mutations;
    outcome.pointsSpent +=
      deps.admin.lastCost?.actualQueryCost ?? deps.admin.lastCost?.requestedQueryCost ?? mutations * 10;
    const accepted: { customerId: bigint; tags: string[] }[] = [];
    batch.forEach((c, k) => {
      const removeErrors = results[k]?.[`r${k}`] ?? [];
      const addErrors = results[k]?.[`a${k}`] ?? [];
      // Record exactly the parts Shopify accepted; the rest stays different and is retried next run.
      let tags = c.written;
      if (removeErrors.length === 0) tags = tags.filter((t) => !c.remove.includes(t));
      if (addErrors.length === 0) tags = [...tags, ...c.add];
      accepted.push({ customerId: c.customerId, tags: [...new Set(tags)].sort() });
      if (removeErrors.length + addErrors.length > 0) {
        outcome.failures.push({
          customerId: String(c.customerId),
          messages: [...removeErrors, ...addErrors].map((e) => e.message),
        });
      } else outcome.customersChanged++;
    });
    await recordWritten(deps.db, shop, accepted);
  }
}

function count(outcome: TagWriteBackOutcome, points: number): void {
  outcome.requests++;
  outcome.pointsSpent += points;
}

const BULK_MUTATIONS = { remove: TAGS_REMOVE, add: TAGS_ADD } as const;

/**
 * Large change sets: one bulk mutation per kind (removes and adds at once),
 * variables uploaded as JSONL through a staged upload. Results come back in
 * input order; each accepted line is recorded, each refused one reported.
 */
async function writeThroughBulk(
  deps: TagWriteBackDeps,
  shop: string,
  collected: Extract<Collected, { kind: "bulk" }>,
  outcome: TagWriteBackOutcome,
  pollMs: number,
): Promise<void> {
  const { parts } = collected;
  const failed = new Set<string>();
  // Removes and adds touch different tags, so both kinds run at once (Shopify runs up to five bulk operations
  // per shop concurrently); each records its accepted lines.
  const kinds = await Promise.allSettled(
    (["remove", "add"] as const).map(async (kind) => {
      outcome.mutations += parts[kind].lines;
      for (const file of await parts[kind].close()) {
        const op = await runBulkMutation(deps.admin, {
          mutation: BULK_MUTATIONS[kind],
          file,
          lines: parts[kind].linesIn(file),
          pollMs,
          sleep: deps.sleepReal,
          onRequest: (points) => count(outcome, points),
        });
        outcome.bulkOperations++;
        const resultUrl = op.url ?? op.partialDataUrl;
        if (resultUrl) await readResults(deps, shop, kind, file, resultUrl, outcome, failed);
        if (op.status !== "COMPLETED")
          throw new Error(
            `Bulk ${kind} of app tags ended ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}; accepted lines were recorded, the rest is retried on the next run`,
          );
      }
    }),
  );
  for (const k of kinds) if (k.status === "rejected") throw k.reason;
  outcome.customersChanged = collected.changed - failed.size;
}

/** Reads a bulk result file next to its input file (same order), recording accepted lines in batches. */
async function readResults(
  deps: TagWriteBackDeps,
  shop: string,
  kind: "remove" | "add",
  inputFile: string,
  url: string,
  outcome: TagWriteBackOutcome,
  failed: Set<string>,
): Promise<void> {
  let accepted: { id: string; tags: string[] }[] = [];
  await readBulkResults(url, inputFile, kind === "remove" ? "tagsRemove" : "tagsAdd", async (input, messages) => {
    const { id, tags } = input as { id: string; tags: string[] };
    const customerId = id.slice(id.lastIndexOf("/") + 1);
    if (messages.length > 0) {
      failed.add(customerId);
      outcome.failures.push({ customerId, messages });
    } else accepted.push({ id: customerId, tags });
    if (accepted.length >= RECORD_BATCH) {
      await applyAccepted(deps.db, shop, kind, accepted);
      accepted = [];
    }
  });
  await applyAccepted(deps.db, shop, kind, accepted);
}

/** State after accepted bulk lines: removed tags leave the recorded set, added ones join it. */
async function applyAccepted(
  db: Db,
  shop: string,
  kind: "remove" | "add",
  accepted: { id: string; tags: string[] }[],
): Promise<void> {
  if (accepted.length === 0) return;
  const rows = JSON.stringify(accepted);
  if (kind === "add") await execute(db, "pipeline/write-back/add-tags-written.sql", shop, rows);
  else
    await db.$transaction([
      execute(db, "pipeline/write-back/remove-tags-written.sql", shop, rows),
      execute(db, "pipeline/write-back/drop-emptied-tag-states.sql", shop, rows),
    ]);
}
