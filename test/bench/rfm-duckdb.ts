// node --import tsx test/bench/rfm-duckdb.ts ORDERS.csv YYYY-MM-DD OUT.csv
// bench:rfm-cli's competitor, in its own process so its RSS is its own: DuckDB
// scores the orders CSV with one SQL statement — our rule, written as an analyst
// would: L = rank() − 1 over worst-first order (the number strictly worse),
// score = 1 + floor(5 × L / n), the first matching row of the default rule table.
import { DuckDBInstance } from "@duckdb/node-api";
import { DEFAULT_RULES } from "../../app/domain/rfm/segments";

const [file, asOf, out] = process.argv.slice(2);
if (!file || !asOf || !out) throw new Error("usage: rfm-duckdb.ts ORDERS.csv YYYY-MM-DD OUT.csv");
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

const segment = `CASE ${DEFAULT_RULES[5]
  .map(
    (x) =>
      `WHEN r BETWEEN ${x.r[0]} AND ${x.r[1]} AND f BETWEEN ${x.f[0]} AND ${x.f[1]} AND m BETWEEN ${x.m[0]} AND ${x.m[1]} THEN '${x.segment}'`,
  )
  .join(" ")} END`;

// Amounts as exact decimals (a DOUBLE sum depends on the order of addition, and ties would drift).
const sql = `COPY (
  WITH customer AS (
    SELECT customer_id, date_diff('day', max(order_date), DATE ${literal(asOf)}) AS recency_days,
           count(*) AS frequency, sum(amount) AS monetary
    FROM read_csv(${literal(file)}, header = true,
                  columns = {'customer_id': 'VARCHAR', 'order_date': 'DATE', 'amount': 'DECIMAL(18,4)'})
    WHERE order_date <= DATE ${literal(asOf)}
    GROUP BY customer_id
  ), scored AS (
    SELECT *,
      1 + (5 * (rank() OVER (ORDER BY recency_days DESC) - 1)) // count(*) OVER () AS r,
      1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // count(*) OVER () AS f,
      1 + (5 * (rank() OVER (ORDER BY monetary) - 1)) // count(*) OVER () AS m
    FROM customer
  )
  SELECT customer_id, recency_days, frequency, monetary, r, f, m, ${segment} AS segment FROM scored
) TO ${literal(out)} (HEADER, DELIMITER ',')`;

const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
await connection.run(sql);
connection.closeSync();
