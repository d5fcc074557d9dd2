import { createReadStream, createWriteStream, mkdirSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { execute, Kind, parse, type FieldNode } from "graphql";
import { adminSchema, validateAdminDocument } from "./admin-schema";
import type { EmulatedShop } from "./shop-state";
import { bulkLimitReached, registerBulkOperation, type BulkContext, type BulkOperationRecord } from "./bulk";

/**
 * Staged uploads and bulk mutations as Shopify runs them: the app asks for an
 * upload target (stagedUploadsCreate), POSTs its JSONL of variables there as
 * multipart/form-data, then bulkOperationRunMutation runs the mutation once
 * per line and writes one result line per input line, in input order, with
 * `__lineNumber`. Bulk mutations do not draw on the rate-limit bucket.
 */

const UPLOADS_DIR = path.join(tmpdir(), `shopify-emulator-uploads-${process.pid}`);
/** Shopify's limit for a bulk mutation's variables file. */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const uploads = new Map<string, string>();

interface StagedUploadInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: string | null;
  fileSize?: string | null;
}

export function stagedUploadsCreate(shop: EmulatedShop, uploadUrl: string, input: StagedUploadInput[]) {
  const stagedTargets: { url: string; resourceUrl: null; parameters: { name: string; value: string }[] }[] = [];
  const userErrors: { field: string[]; message: string }[] = [];
  input.forEach((i, n) => {
    if (i.resource !== "BULK_MUTATION_VARIABLES")
      throw new Error(`stagedUploadsCreate for ${i.resource} is not implemented by the emulator`);
    if (i.httpMethod && i.httpMethod !== "POST") {
      userErrors.push({
        field: ["input", String(n), "httpMethod"],
        message: "Bulk mutation variables must be uploaded with POST",
      });
      return;
    }
    if (i.mimeType !== "text/jsonl") {
      userErrors.push({
        field: ["input", String(n), "mimeType"],
        message: "Bulk mutation variables must be text/jsonl",
      });
      return;
    }
    const key = `tmp/${shop.handle}/bulk/${randomUUID()}/${i.filename}`;
    stagedTargets.push({
      url: uploadUrl,
      resourceUrl: null,
      parameters: [
        { name: "key", value: key },
        { name: "Content-Type", value: i.mimeType },
        { name: "success_action_status", value: "201" },
        { name: "acl", value: "private" },
        { name: "policy", value: Buffer.from(JSON.stringify({ key, shop: shop.domain })).toString("base64") },
      ],
    });
  });
  return { stagedTargets, userErrors };
}

/** Minimal multipart/form-data reader for the staged upload POST. */
function multipart(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) throw new Error("no multipart boundary");
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts = new Map<string, Buffer>();
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd > 0) {
      const headers = part.subarray(0, headerEnd).toString("utf8");
      const name = /name="([^"]+)"/.exec(headers)?.[1];
      if (name) parts.set(name, part.subarray(headerEnd + 4));
    }
    start = next;
  }
  return parts;
}

/** The staged upload target: S3-like, 201 with an XML body, 400 on a bad form. */
export async function receiveStagedUpload(
  body: Buffer,
  contentType: string,
): Promise<{ status: number; body: string }> {
  if (body.length > MAX_UPLOAD_BYTES) return { status: 400, body: "<Error><Code>EntityTooLarge</Code></Error>" };
  let parts: Map<string, Buffer>;
  try {
    parts = multipart(body, contentType);
  } catch {
    return { status: 400, body: "<Error><Code>MalformedPOSTRequest</Code></Error>" };
  }
  const key = parts.get("key")?.toString("utf8");
  const file = parts.get("file");
  if (!key || !file || !/^tmp\/[a-z0-9-]+\/bulk\/[0-9a-f-]+\/[\w.-]+$/.test(key))
    return { status: 400, body: "<Error><Code>InvalidArgument</Code></Error>" };
  mkdirSync(UPLOADS_DIR, { recursive: true });
  const stored = path.join(UPLOADS_DIR, `${randomUUID()}.jsonl`);
  await writeFile(stored, file);
  uploads.set(key, stored);
  return { status: 201, body: `<?xml version="1.0" encoding="UTF-8"?><PostResponse><Key>${key}</Key></PostResponse>` };
}

type UserError = { field: string[]; message: string; code: string };

export function startBulkMutation(
  ctx: BulkContext & { mutationRoot: () => Record<string, unknown> },
  mutationText: string,
  stagedUploadPath: string,
): { op?: BulkOperationRecord; userErrors: UserError[] } {
  const invalid = (message: string, field = "mutation"): { userErrors: UserError[] } => ({
    userErrors: [{ field: [field], message, code: "INVALID_MUTATION" }],
  });
  let document;
  try {
    document = parse(mutationText);
  } catch (error) {
    return invalid(`Invalid mutation: ${(error as Error).message}`);
  }
  const errors = validateAdminDocument(document);
  if (errors.length > 0) return invalid(`Invalid mutation: ${errors.map((e) => e.message).join("; ")}`);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "mutation")
    return invalid("Bulk mutations require a mutation.");
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== 1) return invalid("Bulk mutations must contain exactly one mutation field.");
  const file = uploads.get(stagedUploadPath);
  if (!file) {
    return {
      userErrors: [
        {
          field: ["stagedUploadPath"],
          message:
            "The JSONL file could not be found. Try uploading the file again, and check that you've entered the URL correctly for the stagedUploadPath mutation argument.",
          code: "NO_SUCH_FILE",
        },
      ],
    };
  }
  const limit = bulkLimitReached(ctx.shop, "MUTATION", "mutation");
  if (limit) return { userErrors: [limit] };
  const op = registerBulkOperation(ctx.shop, "MUTATION", mutationText);
  void run(ctx, op, document, file).catch((error: unknown) => {
    op.status = "FAILED";
    op.errorCode = "INTERNAL_SERVER_ERROR";
    op.completedAt = new Date().toISOString();
    process.emitWarning(`emulator bulk mutation failed: ${(error as Error).message}`);
    ctx.onFinish(op);
  });
  return { op, userErrors: [] };
}

async function run(
  ctx: BulkContext & { mutationRoot: () => Record<string, unknown> },
  op: BulkOperationRecord,
  document: ReturnType<typeof parse>,
  input: string,
) {
  if (ctx.shop.bulkMutationLatencyMs > 0) await new Promise((r) => setTimeout(r, ctx.shop.bulkMutationLatencyMs));
  op.status = "RUNNING";
  await ctx.shop.bulkHold;
  const out = createWriteStream(op.file);
  const lines = createInterface({ input: createReadStream(input, "utf8"), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    if (isCanceling(op)) break;
    if (line.trim() === "") continue;
    let variables: Record<string, unknown>;
    try {
      variables = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // Shopify stops at a line that is not JSON and fails the operation.
      out.end();
      await once(out, "finish");
      op.status = "FAILED";
      op.errorCode = "INTERNAL_SERVER_ERROR";
      op.completedAt = new Date().toISOString();
      op.partialDataUrl = `${ctx.baseUrl}/${path.basename(op.file)}`;
      ctx.onFinish(op);
      return;
    }
    const result = await execute({
      schema: adminSchema(),
      document,
      rootValue: ctx.mutationRoot(),
      variableValues: variables,
    });
    const record: Record<string, unknown> = { data: result.data ?? null, __lineNumber: lineNumber };
    if (result.errors) record.errors = result.errors.map((e) => ({ message: e.message, path: e.path }));
    if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, "drain");
    op.objectCount++;
    op.rootObjectCount++;
    lineNumber++;
    // Shopify answers API calls (uploads, status polls) while its bulk jobs run: a job yields often enough that the
    // emulator's own requests are not queued behind a thousand lines of it.
    if (lineNumber % 100 === 0) await new Promise((r) => setImmediate(r));
  }
  out.end();
  await once(out, "finish");
  op.status = isCanceling(op) ? "CANCELED" : "COMPLETED";
  op.fileSize = statSync(op.file).size;
  op.url = `${ctx.baseUrl}/${path.basename(op.file)}`;
  op.completedAt = new Date().toISOString();
  ctx.onFinish(op);
}

function isCanceling(op: BulkOperationRecord): boolean {
  return op.status === "CANCELING";
}
