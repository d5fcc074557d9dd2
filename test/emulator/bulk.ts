import { createWriteStream, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";
import { randomUUID } from "node:crypto";
import {
  getNamedType,
  GraphQLError,
  isCompositeType,
  isLeafType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  valueFromASTUntyped,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { adminSchema, validateAdminDocument } from "./admin-schema";
import type { EmulatedShop } from "./shop-state";
import { connection, customerNode, orderNode } from "./shapes";
import { redactCustomerRecord } from "./protected-data";
import { parseCustomerQuery, parseOrderQuery } from "./search-query";

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED" | "CANCELING" | "EXPIRED";

export interface BulkOperationRecord {
  id: string;
  status: BulkStatus;
  errorCode: string | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
  type: "QUERY" | "MUTATION";
  file: string;
}

export interface BulkContext {
  shop: EmulatedShop;
  /** Where result files are served from, e.g. http://127.0.0.1:PORT/bulk-results */
  baseUrl: string;
  /** Called once the operation ends (Shopify's bulk_operations/finish). */
  onFinish: (op: BulkOperationRecord) => void;
  /** Where staged uploads are POSTed (stagedUploadsCreate targets). */
  uploadUrl?: string;
  /** Orders older than 60 days are invisible without read_all_orders. */
  now?: () => number;
}

const RESULTS_DIR = path.join(tmpdir(), `shopify-emulator-bulk-${process.pid}`);
let nextId = 1;

function isConnectionType(type: GraphQLCompositeType): boolean {
  return type.name.endsWith("Connection");
}

/** Shopify's limits for bulk queries (on top of schema validation). */
function checkBulkRules(schema: GraphQLSchema, set: SelectionSetNode): string | null {
  const root = schema.getQueryType();
  const fields = set.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const connections = fields.filter((f) => {
    const def = root?.getFields()[f.name.value];
    const t = def && getNamedType(def.type);
    return t && isCompositeType(t) && isConnectionType(t);
  });
  if (connections.length !== 1) return "Bulk queries must contain exactly one top-level connection field.";
  let count = 0;
  let maxDepth = 0;
  const walk = (type: GraphQLCompositeType, sel: SelectionSetNode, depth: number) => {
    for (const s of sel.selections) {
      if (s.kind !== Kind.FIELD || !s.selectionSet) continue;
      const own = isObjectType(type) || isInterfaceType(type) ? type.getFields()[s.name.value] : undefined;
      const t = own && getNamedType(own.type);
      if (!t || !isCompositeType(t)) continue;
      if (isConnectionType(t)) {
        count++;
        maxDepth = Math.max(maxDepth, depth + 1);
        walk(t, s.selectionSet, depth + 1);
      } else walk(t, s.selectionSet, depth);
    }
  };
  if (root) walk(root, set, 0);
  if (count > 5) return "Bulk queries cannot contain more than 5 connections.";
  if (maxDepth > 2) return "Bulk queries cannot contain connections with a nesting depth greater than 2.";
  return null;
}

/**
 * Projects a node onto a selection set the way bulk results are written:
 * nested connections are left out of the parent and written as their own
 * lines with `__parentId`.
 */
function project(obj: Json, type: GraphQLCompositeType, set: SelectionSetNode, emit: (line: Json) => void): Json {
  const out: Json = {};
  for (const s of set.selections) {
    if (s.kind === Kind.INLINE_FRAGMENT) {
      Object.assign(out, project(obj, type, s.selectionSet, emit));
      continue;
    }
    if (s.kind !== Kind.FIELD) continue;
    const name = s.name.value;
    const key = s.alias?.value ?? name;
    if (name === "__typename") {
      out[key] = obj.__typename ?? type.name;
      continue;
    }
    if (!(name in obj)) throw new Error(`The Admin API emulator does not implement ${type.name}.${name} yet`);
    const fieldDef = isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
    const named = fieldDef ? getNamedType(fieldDef.type) : undefined;
    let value = obj[name];
    const args = Object.fromEntries((s.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
    if (typeof value === "function") value = (value as (a: Json) => unknown)(args);
    if (!s.selectionSet || !named || isLeafType(named)) {
      out[key] = value;
      continue;
    }
    if (!isCompositeType(named)) continue;
    if (isConnectionType(named)) {
      const conn = value as { nodes: Json[] };
      const nodeSel = s.selectionSet.selections.find(
        (x): x is FieldNode => x.kind === Kind.FIELD && (x.name.value === "nodes" || x.name.value === "edges"),
      );
      if (!nodeSel?.selectionSet) continue;
      const nodeField =
        nodeSel.name.value === "nodes"
          ? nodeSel
          : nodeSel.selectionSet.selections.find(
              (x): x is FieldNode => x.kind === Kind.FIELD && x.name.value === "node",
            );
      if (!nodeField?.selectionSet) continue;
      const connType = named;
      const edgeOrNode = isObjectType(connType) ? connType.getFields()[nodeSel.name.value] : undefined;
      let nodeType: ReturnType<typeof getNamedType> | undefined = edgeOrNode
        ? getNamedType(edgeOrNode.type)
        : undefined;
      if (nodeSel.name.value === "edges" && nodeType && isObjectType(nodeType))
        nodeType = getNamedType(nodeType.getFields().node?.type);
      if (!nodeType || !isCompositeType(nodeType)) continue;
      for (const child of conn.nodes)
        emit({ ...project(child, nodeType, nodeField.selectionSet, emit), __parentId: obj.id });
      continue;
    }
    if (value === null || value === undefined) out[key] = null;
    else if (Array.isArray(value))
      out[key] = value.map((v: Json) => project(v, named, s.selectionSet as SelectionSetNode, emit));
    else out[key] = project(value as Json, named, s.selectionSet, emit);
  }
  return out;
}

/** API 2026-01 and later: up to five bulk query and five bulk mutation operations at a time per app and shop. */
export const MAX_CONCURRENT_BULK_OPERATIONS = 5;

/** The operations of this type still going (created or running) on the shop. */
export function bulkInProgress(shop: EmulatedShop, type: BulkOperationRecord["type"]): BulkOperationRecord[] {
  return [...shop.bulkOperations.values()].filter(
    (op) => op.type === type && (op.status === "CREATED" || op.status === "RUNNING"),
  );
}

/** The userError for one operation too many (BulkOperationUserErrorCode / BulkMutationErrorCode LIMIT_REACHED). */
export function bulkLimitReached(
  shop: EmulatedShop,
  type: BulkOperationRecord["type"],
  field: string,
): { field: string[]; message: string; code: "LIMIT_REACHED" } | null {
  if (bulkInProgress(shop, type).length < MAX_CONCURRENT_BULK_OPERATIONS) return null;
  return { field: [field], message: "Bulk operations limit reached. Please try again later.", code: "LIMIT_REACHED" };
}

type Json = Record<string, unknown>;

/**
 * The connections a bulk query can run over in the emulator: the root objects
 * each yields, already shaped by shapes.ts (so whatever shapes.ts does to a
 * node — redaction included — applies to bulk results too).
 */
interface BulkSource {
  type: string;
  /** Which kind of `bulkFault` applies to this connection. */
  fault: "orders" | "customers";
  roots(ctx: BulkContext, query: string | undefined): Iterable<Json>;
}

const BULK_SOURCES: Record<string, BulkSource> = {
  orders: {
    type: "Order",
    fault: "orders",
    *roots(ctx, query) {
      const filter = parseOrderQuery(query);
      const now = ctx.now?.() ?? ctx.shop.clock();
      const cutoff = ctx.shop.hasScope("read_all_orders") ? Number.NEGATIVE_INFINITY : now - 60 * 86_400_000;
      for (const order of ctx.shop.orders())
        if (order.createdAt.getTime() >= cutoff && filter(order)) yield orderNode(order, now);
    },
  },
  customers: {
    type: "Customer",
    fault: "customers",
    *roots(ctx, query) {
      const filter = parseCustomerQuery(query);
      for (const customer of ctx.shop.customers()) {
        const updatedAt = ctx.shop.customerUpdated(customer);
        if (filter({ customer, updatedAt }))
          yield redactCustomerRecord(
            customerNode(customer, updatedAt, ctx.shop.customerTagList(customer)),
            ctx.shop.protectedCustomerData,
          );
      }
    },
  },
};

/** A new CREATED operation with its result file's path, registered on the shop. */
export function registerBulkOperation(
  shop: EmulatedShop,
  type: BulkOperationRecord["type"],
  query: string,
): BulkOperationRecord {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const op: BulkOperationRecord = {
    id: `gid://shopify/BulkOperation/${1_000_000 + nextId++}`,
    status: "CREATED",
    errorCode: null,
    createdAt: new Date().toISOString(),
    completedAt: null,
    objectCount: 0,
    rootObjectCount: 0,
    fileSize: null,
    url: null,
    partialDataUrl: null,
    query,
    type,
    file: path.join(RESULTS_DIR, `${randomUUID()}.jsonl`),
  };
  shop.bulkOperations.set(op.id, op);
  return op;
}

export function startBulkQuery(
  ctx: BulkContext,
  queryText: string,
  groupObjects: boolean,
): { op?: BulkOperationRecord; userErrors: { field: string[]; message: string; code: string }[] } {
  const schema = adminSchema();
  const invalid = (message: string) => ({ userErrors: [{ field: ["query"], message, code: "INVALID" }] });
  let document;
  try {
    document = parse(queryText);
  } catch (error) {
    return invalid(`Invalid bulk query: ${(error as Error).message}`);
  }
  const errors = validateAdminDocument(document);
  if (errors.length > 0) return invalid(`Invalid bulk query: ${errors.map((e) => e.message).join("; ")}`);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query")
    return invalid("Bulk operations require a query.");
  const rule = checkBulkRules(schema, operation.selectionSet);
  if (rule) return invalid(rule);
  const limit = bulkLimitReached(ctx.shop, "QUERY", "query");
  if (limit) return { userErrors: [limit] };
  const rootField = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD) as FieldNode;
  const source = BULK_SOURCES[rootField.name.value];
  if (!source)
    return invalid(
      `The Admin API emulator runs bulk queries over ${Object.keys(BULK_SOURCES).join(", ")} only, not ${rootField.name.value}`,
    );

  const op = registerBulkOperation(ctx.shop, "QUERY", queryText);
  ctx.shop.bulkQueryPeak = Math.max(ctx.shop.bulkQueryPeak, bulkInProgress(ctx.shop, "QUERY").length);
  void run(ctx, op, rootField, source, groupObjects).catch((error: unknown) => {
    op.status = "FAILED";
    op.errorCode = "INTERNAL_SERVER_ERROR";
    op.completedAt = new Date().toISOString();
    process.emitWarning(`emulator bulk operation failed: ${(error as Error).message}`);
    ctx.onFinish(op);
  });
  return { op, userErrors: [] };
}

const ACCESS_DENIED_AT_START = { errorCode: "ACCESS_DENIED", afterRoots: 0 } as const;

async function run(
  ctx: BulkContext,
  op: BulkOperationRecord,
  rootField: FieldNode,
  source: BulkSource,
  groupObjects: boolean,
): Promise<void> {
  const schema = adminSchema();
  op.status = "RUNNING";
  await ctx.shop.bulkHold;
  const args = Object.fromEntries((rootField.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value)]));
  const rootType = schema.getType(source.type) as GraphQLCompositeType;
  const connSel = rootField.selectionSet?.selections.find(
    (x): x is FieldNode => x.kind === Kind.FIELD && (x.name.value === "edges" || x.name.value === "nodes"),
  );
  const nodeSel =
    connSel?.name.value === "nodes"
      ? connSel
      : connSel?.selectionSet?.selections.find((x): x is FieldNode => x.kind === Kind.FIELD && x.name.value === "node");
  if (!nodeSel?.selectionSet) throw new Error("bulk query selects no nodes");

  const out = createWriteStream(op.file);
  const shopFault = (ctx.shop.bulkFault?.connection ?? "orders") === source.fault ? ctx.shop.bulkFault : undefined;
  if (shopFault) ctx.shop.bulkFault = undefined;
  // Without level-1 protected customer data access Shopify exports no orders or customers: ACCESS_DENIED.
  const fault = shopFault ?? (ctx.shop.protectedCustomerData.level1 ? undefined : ACCESS_DENIED_AT_START);
  // Without grouping, a child line may land well after its parent (as Shopify warns).
  let held: string[] = [];
  let buffer = "";
  const flush = async () => {
    if (buffer && !out.write(buffer)) await once(out, "drain");
    buffer = "";
  };
  let sinceYield = 0;
  const rate = ctx.shop.bulkExportRootsPerSecond;
  const startedAt = Date.now();
  for (const root of source.roots(ctx, args.query as string | undefined)) {
    if (isCanceling(op)) break;
    if (fault && op.rootObjectCount >= fault.afterRoots) {
      await flush();
      out.end();
      await once(out, "finish");
      op.status = "FAILED";
      op.errorCode = fault.errorCode;
      op.completedAt = new Date().toISOString();
      op.partialDataUrl = `${ctx.baseUrl}/${path.basename(op.file)}`;
      ctx.onFinish(op);
      return;
    }
    const children: string[] = [];
    const line = project(root, rootType, nodeSel.selectionSet, (child) => children.push(JSON.stringify(child)));
    buffer += `${JSON.stringify(line)}\n`;
    op.rootObjectCount++;
    op.objectCount += 1 + children.length;
    if (groupObjects) {
      for (const c of children) buffer += `${c}\n`;
    } else {
      held.push(...children);
      if (held.length > 64 || op.rootObjectCount % 7 === 0) {
        for (const c of held) buffer += `${c}\n`;
        held = [];
      }
    }
    if (buffer.length > 1 << 16) await flush();
    if (rate && op.rootObjectCount % 50 === 0) {
      // The rate model: this operation's own pace, independent of the others running.
      const due = startedAt + (op.rootObjectCount / rate) * 1000;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    }
    if (++sinceYield >= 2000) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for (const c of held) buffer += `${c}\n`;
  await flush();
  out.end();
  await once(out, "finish");
  if (isCanceling(op)) {
    op.status = "CANCELED";
  } else {
    op.status = "COMPLETED";
    op.fileSize = statSync(op.file).size;
    op.url = op.rootObjectCount > 0 ? `${ctx.baseUrl}/${path.basename(op.file)}` : null;
  }
  op.completedAt = new Date().toISOString();
  ctx.onFinish(op);
}

// Cancellation comes from another request while the loop runs.
function isCanceling(op: BulkOperationRecord): boolean {
  return op.status === "CANCELING";
}

export function bulkResultFile(name: string): string | null {
  if (!/^[0-9a-f-]+\.jsonl$/.test(name)) return null;
  return path.join(RESULTS_DIR, name);
}

/** The BulkOperation object as GraphQL returns it. */
export function bulkOperationNode(op: BulkOperationRecord) {
  return {
    __typename: "BulkOperation",
    id: op.id,
    status: op.status,
    errorCode: op.errorCode,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    objectCount: String(op.objectCount),
    rootObjectCount: String(op.rootObjectCount),
    fileSize: op.fileSize === null ? null : String(op.fileSize),
    url: op.url,
    partialDataUrl: op.partialDataUrl,
    query: op.query,
    type: op.type,
  };
}

/**
 * QueryRoot.bulkOperations (2026-10): newest first unless reversed, filtered by the search terms Shopify documents
 * for it — `status:` (canceled, canceling, completed, created, failed, running) and `operation_type:` (query,
 * mutation); a term the emulator does not model is refused rather than ignored, so nothing passes by accident.
 */
export function bulkOperationsConnection(
  all: BulkOperationRecord[],
  args: { first?: number | null; last?: number | null; query?: string | null; reverse?: boolean },
) {
  let ops = [...all].reverse().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const term of (args.query ?? "").split(/\s+/).filter(Boolean)) {
    const m = /^(status|operation_type):(\w+)$/i.exec(term);
    if (!m?.[1] || !m[2]) throw new Error(`emulator: bulkOperations search term '${term}' is not modelled`);
    const value = m[2].toUpperCase();
    ops = ops.filter((op) => (m[1]?.toLowerCase() === "status" ? op.status === value : op.type === value));
  }
  if (args.reverse) ops.reverse();
  if (args.first == null && args.last == null) throw new GraphQLError("you must provide one of first or last");
  return connection(ops.map(bulkOperationNode), {
    ...(args.first != null ? { first: args.first } : {}),
    ...(args.last != null ? { last: args.last } : {}),
  });
}
