import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv, parseStartupEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://rfm.example.com",
  SCOPES: "read_orders, read_customers",
  DATABASE_URL: "postgresql://u@127.0.0.1:5432/app",
};

function problems(source: Record<string, string>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as InvalidEnvironmentError).problems;
  }
}

describe("parseEnv", () => {
  it("GIVEN a complete environment THEN it parses scopes and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.SCOPES).toEqual(["read_orders", "read_customers"]);
    expect(env.PORT).toBe(3000);
    expect(env.WORKER_MODE).toBe("inline");
  });

  it("GIVEN nothing THEN it names every missing variable", () => {
    expect(problems({})).toEqual(
      expect.arrayContaining([
        "SHOPIFY_API_KEY is required",
        "SHOPIFY_API_SECRET is required",
        "SHOPIFY_APP_URL is required",
        "SCOPES is required",
        "DATABASE_URL is required",
      ]),
    );
  });

  it("GIVEN malformed values THEN it says what is wrong with each", () => {
    const found = problems({ ...valid, SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://x", PORT: "-1" });
    expect(found).toHaveLength(3);
    expect(found.join("\n")).toMatch(/SHOPIFY_APP_URL/);
    expect(found.join("\n")).toMatch(/DATABASE_URL: must be a postgresql:\/\/ connection string/);
    expect(found.join("\n")).toMatch(/PORT/);
  });

  it("GIVEN production THEN the App Bridge override and plain http are refused", () => {
    const found = problems({
      ...valid,
      NODE_ENV: "production",
      SHOPIFY_APP_URL: "http://rfm.example.com",
      SHOPIFY_ADMIN_EMULATOR_URL: "http://127.0.0.1:1",
    });
    expect(found.join("\n")).toMatch(/SHOPIFY_ADMIN_EMULATOR_URL: cannot be set in production/);
    expect(found.join("\n")).toMatch(/SHOPIFY_APP_URL: must be https/);
  });

  it("GIVEN the applier's kill-test pause point THEN development takes it and production refuses it", () => {
    expect(parseEnv({ ...valid, RFM_TEST_APPLIER_PAUSE_AT: "aggregated" }).RFM_TEST_APPLIER_PAUSE_AT).toBe(
      "aggregated",
    );
    expect(problems({ ...valid, RFM_TEST_APPLIER_PAUSE_AT: "sometime" }).join("\n")).toMatch(
      /RFM_TEST_APPLIER_PAUSE_AT/,
    );
    const found = problems({
      ...valid,
      NODE_ENV: "production",
      SHOPIFY_APP_URL: "https://rfm.example.com",
      RFM_TEST_APPLIER_PAUSE_AT: "claimed",
    });
    expect(found.join("\n")).toMatch(/RFM_TEST_APPLIER_PAUSE_AT: cannot be set in production/);
  });

  it("GIVEN several bad variables THEN the error is one line naming each of them", () => {
    try {
      parseEnv({ ...valid, SCOPES: undefined, PORT: "port", METRICS_TOKEN: "short" });
      expect.unreachable("parseEnv accepted a bad environment");
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      const message = (error as Error).message;
      expect(message).not.toContain("\n");
      expect(message).toMatch(/^Invalid environment: /);
      for (const name of ["SCOPES is required", "PORT:", "METRICS_TOKEN: must be at least 16 characters"])
        expect(message).toContain(name);
    }
  });

  it("GIVEN npm start without DATABASE_URL THEN the startup check accepts it (the embedded database) and still checks the rest", () => {
    const { DATABASE_URL: _unset, ...withoutDatabase } = valid;
    expect(parseStartupEnv(withoutDatabase).DATABASE_URL).toBeUndefined();
    expect(problems(withoutDatabase)).toEqual(["DATABASE_URL is required"]);
    expect(() => parseStartupEnv({ ...withoutDatabase, DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be/);
    expect(() => parseStartupEnv({ ...withoutDatabase, SHOPIFY_API_KEY: undefined })).toThrow(
      /SHOPIFY_API_KEY is required/,
    );
  });
});
