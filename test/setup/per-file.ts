import { inject } from "vitest";
import { resetDatabase } from "./databases";
import { TEST_APP } from "./test-app";

// Each worker owns one database; a test file starts from empty tables.
const urls = inject("databaseUrls");
const slot = Number(process.env.VITEST_POOL_ID ?? 1);
const url = urls[(slot - 1) % urls.length];
if (!url) throw new Error("no test database for this worker");

process.env.DATABASE_URL = url;
process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY = TEST_APP.apiKey;
process.env.SHOPIFY_API_SECRET = TEST_APP.secret;
process.env.SHOPIFY_APP_URL = "http://127.0.0.1:1";
process.env.SCOPES = TEST_APP.scopes;
process.env.LOG_LEVEL ??= "warn";

await resetDatabase(url);
