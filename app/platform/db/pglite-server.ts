// The embedded PostgreSQL server: PGlite (PostgreSQL in WASM) behind a TCP
// socket speaking the PostgreSQL wire protocol.
//
// PGlite is one backend session. @electric-sql/pglite-socket's multiplexer
// interleaves clients message by message, so two clients' Parse/Bind/Execute
// sequences clobber each other's unnamed statements and portals (we saw wrong
// rows returned under concurrency). This server keeps each client's messages
// together up to the next Sync or simple Query, and gives a client the session
// exclusively while it is inside a transaction.
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { createServer, type Socket } from "node:net";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";

const { values } = parseArgs({
  options: {
    db: { type: "string", default: "memory://" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
  },
});

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
// Messages after which the client waits for the server: the group is complete.
const GROUP_END = new Set(["S", "Q", "H", "F", "c", "f"]);

// pg_trgm: the segment search's indexes (a stock PostgreSQL has it in contrib).
const db = await PGlite.create(values.db === "memory://" ? undefined : values.db, { extensions: { pg_trgm } });

let owner: Socket | null = null;
const waiting: { socket: Socket; resume: () => void }[] = [];

async function acquire(socket: Socket): Promise<void> {
  if (owner === null || owner === socket) {
    owner = socket;
    return;
  }
  await new Promise<void>((resume) => waiting.push({ socket, resume }));
  owner = socket;
}

function release(socket: Socket): void {
  if (owner !== socket) return;
  owner = null;
  const next = waiting.shift();
  if (next) {
    owner = next.socket;
    next.resume();
  }
}

async function run(socket: Socket, message: Uint8Array): Promise<void> {
  await acquire(socket);
  try {
    await db.execProtocolRawStream(message, {
      onRawData: (chunk: Uint8Array) => {
        if (socket.writable) socket.write(Buffer.from(chunk));
      },
    });
  } finally {
    // Inside a transaction the session stays this client's until it ends.
    if (!db.isInTransaction()) release(socket);
  }
}

function serve(socket: Socket): void {
  socket.setNoDelay(true);
  let buffer = Buffer.alloc(0);
  let started = false;
  let group: Buffer[] = [];
  let chain = Promise.resolve();
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    chain = chain.then(async () => {
      waiting.splice(0, waiting.length, ...waiting.filter((w) => w.socket !== socket));
      if (owner === socket) {
        if (db.isInTransaction()) await db.exec("ROLLBACK").catch(() => undefined);
        release(socket);
      }
    });
  };

  socket.on("data", (data: Buffer) => {
    buffer = Buffer.concat([buffer, data]);
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        const message = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          socket.write("N");
          continue;
        }
        if (code === CANCEL_REQUEST) {
          socket.end();
          return;
        }
        started = true;
        const startup = Buffer.from(message);
        chain = chain.then(() => run(socket, startup)).catch(() => void socket.destroy());
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1) + 1;
      if (buffer.length < length) return;
      const type = String.fromCharCode(buffer[0] as number);
      const message = Buffer.from(buffer.subarray(0, length));
      buffer = buffer.subarray(length);
      if (type === "X") {
        socket.end();
        return;
      }
      group.push(message);
      if (GROUP_END.has(type)) {
        const whole = Buffer.concat(group);
        group = [];
        chain = chain.then(() => run(socket, whole)).catch(() => void socket.destroy());
      }
    }
  });
  socket.on("close", close);
  socket.on("error", close);
}

const server = createServer(serve);
server.listen(Number(values.port), values.host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`listening on ${JSON.stringify({ host: values.host, port })}\n`);
});

const shutdown = async () => {
  server.close();
  await db.close().catch(() => undefined);
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
// Spawned by the app (embedded-postgres.server.ts) with an IPC channel: when the parent goes, however it goes
// (exit, crash, SIGKILL), the channel closes and the database goes with it — never an orphaned server.
if (process.send) process.on("disconnect", () => void shutdown());
