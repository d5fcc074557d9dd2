import { createReadStream, createWriteStream, openAsBlob, type WriteStream } from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import {
  type AdminClient,
  type AdminDocument,
  type AdminMutations,
  type ResultOf,
  type VariablesArgs,
} from "./admin-client.server";
import { assertNoUserErrors, type UserError, payloadOf } from "./admin-errors.server";
import { BULK_MUTATION_STATUS, CURRENT_BULK_MUTATION, RUN_BULK_MUTATION } from "./operations/bulk-operations";
import { STAGED_UPLOAD } from "./operations/staged-uploads";

export interface BulkStatus {
  id: string;
  status: string;
  errorCode: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface BulkMutationOptions {
  /** The mutation run once per JSONL line (its variables): a generated document, so a wrong field fails typecheck. */
  mutation: keyof AdminMutations & string;
  /** The JSONL file of variables, one line per call. */
  file: string;
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called after every Admin API request with the points it cost. */
  onRequest?: (points: number) => void;
}

/**
 * One bulk mutation: staged upload of the variables (multipart POST to the
 * target Shopify hands out), bulkOperationRunMutation, then polling until it
 * ends. Waits out another bulk mutation of the app still running (one at a
 * time per shop), e.g. one a crashed run left behind.
 */
export async function runBulkMutation(admin: AdminClient, options: BulkMutationOptions): Promise<BulkStatus> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const request = async <D extends AdminDocument>(
    document: D,
    ...variables: VariablesArgs<D>
  ): Promise<ResultOf<D>> => {
    const data = await admin.request(document, ...variables);
    options.onRequest?.(admin.lastCost?.actualQueryCost ?? admin.lastCost?.requestedQueryCost ?? 0);
    return data;
  };
  const staged = await request(STAGED_UPLOAD, {
    input: [
      {
        resource: "BULK_MUTATION_VARIABLES",
        filename: path.basename(options.file),
        mimeType: "text/jsonl",
        httpMethod: "POST",
      },
    ],
  });
  const target = assertNoUserErrors("stagedUploadsCreate", staged.stagedUploadsCreate).stagedTargets?.[0];
  if (!target?.url || !target.parameters) throw new Error("stagedUploadsCreate returned no target");
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", await openAsBlob(options.file, { type: "text/jsonl" }), path.basename(options.file));
  const upload = await fetch(target.url, { method: "POST", body: form });
  if (!upload.ok)
    throw new Error(`Staged upload answered HTTP ${upload.status}: ${(await upload.text()).slice(0, 200)}`);
  const key = target.parameters.find((p) => p.name === "key")?.value;
  if (!key) throw new Error("staged upload target has no key");

  let started: { id: string } | null = null;
  for (let attempt = 0; attempt < 600 && !started; attempt++) {
    const run = payloadOf(
      "bulkOperationRunMutation",
      (await request(RUN_BULK_MUTATION, { mutation: options.mutation, path: key })).bulkOperationRunMutation,
    );
    if (run.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS" || e.code === "LIMIT_REACHED")) {
      await sleep(options.pollMs);
      await request(CURRENT_BULK_MUTATION);
      continue;
    }
    started = assertNoUserErrors("bulkOperationRunMutation", run).bulkOperation ?? null;
  }
  if (!started) throw new Error("bulkOperationRunMutation could not start: another bulk mutation kept running");
  for (;;) {
    const { bulkOperation } = await request(BULK_MUTATION_STATUS, { id: started.id });
    if (!bulkOperation) throw new Error(`bulk operation ${started.id} vanished`);
    if (!["CREATED", "RUNNING", "CANCELING"].includes(bulkOperation.status))
      return {
        id: bulkOperation.id,
        status: bulkOperation.status,
        errorCode: bulkOperation.errorCode ?? null,
        url: bulkOperation.url ?? null,
        partialDataUrl: bulkOperation.partialDataUrl ?? null,
      };
    await sleep(options.pollMs);
  }
}

/**
 * Streams a bulk mutation's result file beside its input file: results come
 * in input order with `__lineNumber`; each input line is handed over with the
 * messages that refused it (none: accepted). Lines that never ran are skipped.
 */
export async function readBulkResults(
  url: string,
  inputFile: string,
  payloadField: string,
  onLine: (input: unknown, messages: string[]) => Promise<void>,
): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`bulk result download answered HTTP ${response.status}`);
  const inputs = createInterface({ input: createReadStream(inputFile, "utf8"), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  const results = createInterface({
    input: Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]),
    crlfDelay: Infinity,
  });
  let next = 0;
  for await (const line of results) {
    if (line.trim() === "") continue;
    const result = JSON.parse(line) as {
      data: Record<string, { userErrors: UserError[] } | null> | null;
      errors?: { message: string }[];
      __lineNumber: number;
    };
    let input = await inputs.next();
    while (!input.done && next < result.__lineNumber) {
      input = await inputs.next();
      next++;
    }
    if (input.done) break;
    next++;
    const payload = result.data?.[payloadField];
    const messages = [
      ...(result.errors ?? []).map((e) => e.message),
      ...(payload?.userErrors ?? []).map((e) => e.message),
    ];
    if (!payload && messages.length === 0) messages.push("no answer");
    await onLine(JSON.parse(input.value) as unknown, messages);
  }
}

/** Shopify takes at most 100 MB of variables per bulk mutation; parts stay well under it. */
export const MAX_BULK_PART_BYTES = 90 * 1024 * 1024;

/** JSONL written across as many part files as the size limit needs (each becomes one bulk operation). */
export class JsonlParts {
  private readonly files: string[] = [];
  private out: WriteStream | null = null;
  private bytes = 0;
  lines = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly maxBytes = MAX_BULK_PART_BYTES,
  ) {}

  async write(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    const size = Buffer.byteLength(line);
    if (!this.out || this.bytes + size > this.maxBytes) await this.rotate();
    this.bytes += size;
    this.lines++;
    if (!(this.out as WriteStream).write(line)) await once(this.out as WriteStream, "drain");
  }

  private async rotate(): Promise<void> {
    await this.finish();
    const file = path.join(this.dir, `${this.name}-${this.files.length + 1}.jsonl`);
    this.files.push(file);
    this.out = createWriteStream(file);
    this.bytes = 0;
  }

  private async finish(): Promise<void> {
    if (!this.out) return;
    this.out.end();
    await once(this.out, "finish");
    this.out = null;
  }

  /** The part files, closed. */
  async close(): Promise<string[]> {
    await this.finish();
    return this.files;
  }
}
