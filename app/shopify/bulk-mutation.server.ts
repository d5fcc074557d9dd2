import { createReadStream } from "node:fs";
import { open, stat, type FileHandle } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { pipeline } from "node:stream/promises";
import path from "node:path";
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
  /** How many lines it holds: polls are timed by the operation's progress towards them. */
  lines?: number;
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
  const upload = await postMultipart(target.url, target.parameters, options.file);
  if (upload.status < 200 || upload.status >= 300)
    throw new Error(`Staged upload answered HTTP ${upload.status}: ${upload.text.slice(0, 200)}`);
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
  // A small operation is done in well under a second: the first looks come soon, then every pollMs — or, once the
  // operation reports progress, when it should be done at the rate it goes (a fixed interval overshot by up to pollMs).
  let wait = Math.min(100, options.pollMs);
  let seen: { at: number; count: number } | null = null;
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
    const at = performance.now();
    const count = Number(bulkOperation.objectCount);
    const eta = seen && options.lines ? untilDone(seen, { at, count }, options.lines) : null;
    await sleep(eta === null ? wait : Math.max(MIN_POLL_MS, Math.min(eta, options.pollMs)));
    wait = Math.min(wait * 2, options.pollMs);
    if (bulkOperation.status === "RUNNING") seen = { at, count };
  }
}

/** Polls never come closer together than this. */
const MIN_POLL_MS = 50;

/** Milliseconds until `lines` are done at the rate between two looks; null while there is no rate yet. */
function untilDone(
  before: { at: number; count: number },
  now: { at: number; count: number },
  lines: number,
): number | null {
  const done = now.count - before.count;
  if (done <= 0 || now.at <= before.at) return null;
  return ((lines - now.count) * (now.at - before.at)) / done;
}

/**
 * The staged upload: multipart/form-data streamed from disk with its exact length, through node:http(s). fetch
 * holds on to a request body it sent — FormData or stream alike, a 130 MB variables file stayed 130 MB of memory.
 */
async function postMultipart(
  url: string,
  fields: { name: string; value: string }[],
  file: string,
): Promise<{ status: number; text: string }> {
  const boundary = `----rfm-${randomUUID()}`;
  const head = Buffer.from(
    fields
      .map((f) => `--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"\r\n\r\n${f.value}\r\n`)
      .join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\n` +
      `Content-Type: text/jsonl\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + (await stat(file)).size + tail.length;
  async function* parts(): AsyncGenerator<Buffer> {
    yield head;
    for await (const chunk of createReadStream(file)) yield chunk as Buffer;
    yield tail;
  }
  const target = new URL(url);
  const request = (target.protocol === "https:" ? https : http).request(target, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(length) },
  });
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once("response", resolve);
    request.once("error", reject);
  });
  await pipeline(Readable.from(parts()), request);
  const res = await response;
  let text = "";
  for await (const chunk of res) text += String(chunk);
  return { status: res.statusCode ?? 0, text };
}

/**
 * Lines of a stream, read only as fast as they are consumed: readline's iterator keeps reading while the caller
 * awaits its database writes, which held a whole 200 000-line result file in memory.
 */
async function* linesOf(stream: Readable): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream) {
    const text = rest + String(chunk);
    const lines = text.split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) yield line.endsWith("\r") ? line.slice(0, -1) : line;
  }
  if (rest !== "") yield rest;
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
  const inputs = linesOf(createReadStream(inputFile, "utf8"));
  const body = Readable.fromWeb(response.body as Parameters<typeof Readable.fromWeb>[0]);
  // Decoded as a stream: a character split across chunks stays whole.
  body.setEncoding("utf8");
  const results = linesOf(body);
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

/**
 * JSONL written across as many part files as the size limit needs (each becomes one bulk operation). Lines go
 * through one reused buffer straight to the file: no chunk strings or per-line objects that outlive a page (a
 * 200 000-customer first run spent seconds and ~100 MB of promoted heap building and flushing them).
 */
export class JsonlParts {
  private readonly files: string[] = [];
  private readonly partLines: number[] = [];
  private out: FileHandle | null = null;
  private bytes = 0;
  private readonly buffer: Buffer;
  private used = 0;
  lines = 0;

  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly maxBytes = MAX_BULK_PART_BYTES,
    bufferBytes = 256 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  async write(value: unknown): Promise<void> {
    await this.writeLines([JSON.stringify(value)]);
  }

  /** Lines of JSON the caller built (without the newline), in order; awaits only when the buffer fills. */
  async writeLines(lines: Iterable<string>): Promise<void> {
    for (const line of lines) {
      const size = Buffer.byteLength(line) + 1;
      if (!this.out || this.bytes + size > this.maxBytes) await this.rotate();
      if (this.used + size > this.buffer.length) await this.flush();
      if (size > this.buffer.length) await this.out?.write(`${line}\n`);
      else {
        this.used += this.buffer.write(line, this.used);
        this.buffer[this.used++] = 0x0a;
      }
      this.bytes += size;
      this.lines++;
      this.partLines[this.files.length - 1] = (this.partLines[this.files.length - 1] ?? 0) + 1;
    }
  }

  private async flush(): Promise<void> {
    if (this.used === 0 || !this.out) return;
    await this.out.write(this.buffer, 0, this.used);
    this.used = 0;
  }

  private async rotate(): Promise<void> {
    await this.finish();
    const file = path.join(this.dir, `${this.name}-${this.files.length + 1}.jsonl`);
    this.files.push(file);
    this.out = await open(file, "w");
    this.bytes = 0;
  }

  private async finish(): Promise<void> {
    if (!this.out) return;
    await this.flush();
    await this.out.close();
    this.out = null;
  }

  /** The part files, closed (also when the plan is dropped unwritten). */
  async close(): Promise<string[]> {
    await this.finish();
    return this.files;
  }

  /** How many lines a part file holds. */
  linesIn(file: string): number {
    return this.partLines[this.files.indexOf(file)] ?? 0;
  }
}
