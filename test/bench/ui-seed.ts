// Seeds the UI benchmark's shop straight into the database, as score.ts does:
// orders by SQL (one per customer plus a heavy tail of repeats), Customer rows
// with names and emails (so search has something to match), the app's own
// aggregate recompute, a completed backfill (so installing the app does not
// start one), one full scoring run (which writes the run summary and the persona
// counts the dashboard and personas page read) and the jobs FOLLOW_UPS.scored runs
// after it that pages read: rfm.predict (+ its bands), rfm.forecast, rfm.insights.
import type pg from "pg";
import type { Db } from "../../app/platform/db.server";
import { recomputeShopAggregates } from "../../app/pipeline/aggregate/aggregates.server";
import { runFullScoring } from "../../app/pipeline/score/scoring.server";
import { runInsights } from "../../app/pipeline/insights/insights.server";
import { runPredictions } from "../../app/pipeline/predict/predictions.server";
import { applyPredictions } from "../../app/pipeline/score/apply-predictions.server";
import { runForecast } from "../../app/pipeline/forecast/forecast.server";

const FIRST_NAMES = [
  "Emma",
  "Julia",
  "Sophie",
  "Anna",
  "Lisa",
  "Sara",
  "Eva",
  "Fleur",
  "Lotte",
  "Noor",
  "Tess",
  "Mila",
  "Zoë",
  "Lieke",
  "Iris",
  "Femke",
  "Sanne",
  "Roos",
  "Daan",
  "Sem",
  "Lucas",
  "Levi",
  "Finn",
  "Milan",
  "Bram",
  "Jesse",
  "Thijs",
  "Ruben",
  "Lars",
  "Tim",
  "Niels",
  "Koen",
  "Jeroen",
  "Pieter",
  "Willem",
  "Hugo",
  "Olivia",
  "Amelia",
  "Isla",
  "Ava",
  "Mia",
  "Grace",
  "Chloe",
  "Ella",
  "Lily",
  "Freya",
  "Harper",
  "Aria",
  "Nora",
  "Leah",
  "Hannah",
  "Clara",
  "Marie",
  "Lea",
  "Oliver",
  "George",
  "Noah",
  "Arthur",
  "Leo",
  "Oscar",
  "Harry",
  "Jack",
  "Charlie",
  "Thomas",
  "James",
  "William",
  "Henry",
  "Samuel",
  "Jacob",
  "Max",
  "Paul",
  "Felix",
  "Mohammed",
  "Ahmed",
  "Yusuf",
  "Omar",
  "Fatima",
  "Aisha",
  "Amira",
  "Sofia",
  "Lucía",
  "Mateo",
  "Diego",
  "Carlos",
  "Elena",
  "Giulia",
  "Marco",
  "Luca",
  "Chiara",
];
const LAST_NAMES = [
  "de Jong",
  "Jansen",
  "de Vries",
  "van den Berg",
  "van Dijk",
  "Bakker",
  "Janssen",
  "Visser",
  "Smit",
  "Meijer",
  "de Boer",
  "Mulder",
  "de Groot",
  "Bos",
  "Vos",
  "Peters",
  "Hendriks",
  "van Leeuwen",
  "Dekker",
  "Brouwer",
  "de Wit",
  "Dijkstra",
  "Smits",
  "de Graaf",
  "van der Meer",
  "van der Linden",
  "Kok",
  "Jacobs",
  "de Haan",
  "Vermeulen",
  "van den Heuvel",
  "van der Veen",
  "van den Broek",
  "de Bruijn",
  "de Bruin",
  "van der Heijden",
  "Schouten",
  "van Beek",
  "Willems",
  "van Vliet",
  "van de Ven",
  "Hoekstra",
  "Maas",
  "Verhoeven",
  "Koster",
  "van Dam",
  "van der Wal",
  "Prins",
  "Blom",
  "Huisman",
  "Peeters",
  "de Smet",
  "Claes",
  "Smith",
  "Jones",
  "Taylor",
  "Brown",
  "Williams",
  "Wilson",
  "Johnson",
  "Davies",
  "Robinson",
  "Wright",
  "Thompson",
  "Evans",
  "Walker",
  "White",
  "Roberts",
  "Green",
  "Hall",
  "Wood",
  "Jackson",
  "Clarke",
  "Müller",
  "Schmidt",
  "Schneider",
  "Fischer",
  "Weber",
  "Meyer",
  "Wagner",
  "Becker",
  "Schulz",
  "Hoffmann",
  "Koch",
  "Richter",
  "Klein",
  "Wolf",
  "Schröder",
  "Neumann",
  "Schwarz",
  "Zimmermann",
  "Braun",
  "Krüger",
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Simon",
  "Laurent",
  "Lefebvre",
  "Michel",
  "Garcia",
  "Rossi",
  "Russo",
  "Ferrari",
  "Esposito",
  "Bianchi",
  "Romano",
  "Colombo",
  "Ricci",
  "Marino",
  "Greco",
  "Bruno",
  "Gallo",
  "Conti",
  "Costa",
  "Giordano",
  "Mancini",
  "Rizzo",
  "Lombardi",
  "Moretti",
  "Nowak",
  "Kowalski",
  "Wiśniewski",
  "Wójcik",
  "Kowalczyk",
  "Kamiński",
  "Lewandowski",
  "Yılmaz",
  "Kaya",
  "Demir",
  "Şahin",
  "Çelik",
  "Yıldız",
  "El Amrani",
  "Bouzid",
];

const sqlArray = (values: string[]) => `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")}]::text[]`;

export interface SeedTimings {
  orders: number;
  customers: number;
  aggregates: number;
  scoring: number;
  predictions: number;
  forecast: number;
  insights: number;
  vacuum: number;
}

export async function seedUiShop(
  db: Db,
  pool: pg.Pool,
  shop: string,
  opts: { customers: number; ordersPerCustomer: number; timezone: string; say: (line: string) => void },
): Promise<{ orders: number; scored: number; timings: SeedTimings }> {
  const { customers, say } = opts;
  const extraOrders = Math.round(customers * (opts.ordersPerCustomer - 1));
  const seconds = (since: number) => (Date.now() - since) / 1000;
  const timings: SeedTimings = {
    orders: 0,
    customers: 0,
    aggregates: 0,
    scoring: 0,
    predictions: 0,
    forecast: 0,
    insights: 0,
    vacuum: 0,
  };

  await db.shop.create({
    data: { shop, name: "Bench Webwinkel", currencyCode: "EUR", ianaTimezone: opts.timezone, adminLocale: "en" },
  });

  // Orders exactly as score.ts writes them: one per customer, then a heavy tail of repeats.
  let t = Date.now();
  await db.$executeRawUnsafe(
    `INSERT INTO "Order" (shop, id, "customerId", "createdAt", "processedAt", "shopifyUpdatedAt", currency, "totalPrice", "currentTotalPrice", "totalRefunded", "discountCodes")
     SELECT $1, g, CASE WHEN g <= $2::bigint THEN g ELSE 1 + floor(random() ^ 3 * $2::bigint)::bigint END, t, t, t, 'EUR', a, a, 0,
            CASE WHEN random() < 0.08 THEN ARRAY['SALE' || (g % 40)] ELSE '{}'::text[] END
     FROM (SELECT g, now() - random() * interval '1100 days' AS t, round((5 + random() ^ 3 * 400)::numeric, 2) AS a
           FROM generate_series(1, $2::bigint + $3::bigint) g) x`,
    shop,
    customers,
    extraOrders,
  );
  // One line per order from 300 products of 12 vendors (what the insights' first products read).
  await db.$executeRawUnsafe(
    `INSERT INTO "OrderLine" (shop, "orderId", id, "productId", vendor, quantity, amount)
     SELECT shop, id, id, 1 + (id * 7919) % 300, 'Vendor ' || ((id * 7919) % 300) % 12, 1, "totalPrice"
     FROM "Order" WHERE shop = $1`,
    shop,
  );
  timings.orders = seconds(t);
  say(`seed: ${customers + extraOrders} orders (one line each) in ${timings.orders.toFixed(1)} s`);

  // One Customer row per buyer (ids 1..N, as the orders use), with a name and an email.
  t = Date.now();
  await db.$executeRawUnsafe(
    `INSERT INTO "Customer" (shop, id, email, "firstName", "lastName", tags, "emailMarketingState", "shopifyCreatedAt", "shopifyUpdatedAt")
     SELECT $1, g, lower(translate(f || '.' || l, ' ', '')) || '.' || g || '@example.com', f, l, '{}'::text[],
            CASE WHEN random() < 0.4 THEN 'SUBSCRIBED' ELSE 'NOT_SUBSCRIBED' END, now() - interval '1200 days', now()
     FROM (SELECT g, (${sqlArray(FIRST_NAMES)})[1 + floor(random() * ${FIRST_NAMES.length})::int] AS f,
                     (${sqlArray(LAST_NAMES)})[1 + floor(random() * ${LAST_NAMES.length})::int] AS l
           FROM generate_series(1, $2::bigint) g) x`,
    shop,
    customers,
  );
  timings.customers = seconds(t);
  say(`seed: ${customers} customers in ${timings.customers.toFixed(1)} s`);

  t = Date.now();
  await recomputeShopAggregates(db, shop);
  await db.$executeRawUnsafe(`ANALYZE`);
  timings.aggregates = seconds(t);
  say(`seed: aggregates (app recompute) in ${timings.aggregates.toFixed(1)} s`);

  // A completed backfill: the install hook then enqueues none (a backfill against the
  // emulator's empty shop would ingest nothing, but would start another full run and a
  // write-back of every customer in the middle of the measurement). ordersSyncedAt stays
  // null, so neither the nightly reconciliation nor the daily run picks the shop up.
  const orders = customers + extraOrders;
  await db.$executeRawUnsafe(
    `INSERT INTO "SyncRun" (shop, id, kind, status, phase, "ordersExpected", "ordersIngested", "linesCommitted", "startedAt", "ingestStartedAt", "heartbeatAt", "finishedAt")
     VALUES ($1, gen_random_uuid()::text, 'backfill', 'completed', 'completed', $2, $2, $2, now() - interval '20 minutes', now() - interval '15 minutes', now() - interval '1 minute', now() - interval '1 minute')`,
    shop,
    orders,
  );

  t = Date.now();
  const run = await runFullScoring(db, shop);
  timings.scoring = seconds(t);
  say(`seed: full scoring run, ${run.customers} customers scored in ${timings.scoring.toFixed(1)} s`);
  // What FOLLOW_UPS.scored runs next (write-back and Flow aside: nothing to write to the emulator's empty shop).
  t = Date.now();
  const predicted = await runPredictions({ db, pool }, shop);
  if (predicted) await applyPredictions(db, shop);
  timings.predictions = seconds(t);
  say(`seed: predictions (rfm.predict) in ${timings.predictions.toFixed(1)} s`);
  // One full run is all the history the seed has honestly (scoring reads today's aggregates, so back-dated runs
  // would repeat today's segments): the segment forecast says "too few months"; the CLV back-test reads orders.
  t = Date.now();
  await runForecast(db, shop);
  timings.forecast = seconds(t);
  say(`seed: forecast (rfm.forecast) in ${timings.forecast.toFixed(1)} s`);
  t = Date.now();
  await runInsights(db, shop);
  timings.insights = seconds(t);
  say(`seed: insights (rfm.insights) in ${timings.insights.toFixed(1)} s`);

  // The steady state autovacuum reaches on a live shop: fresh statistics and visibility maps.
  t = Date.now();
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  timings.vacuum = seconds(t);
  say(`seed: VACUUM ANALYZE in ${timings.vacuum.toFixed(1)} s`);
  return { orders, scored: run.customers, timings };
}
