import pino from "pino";

const level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info");

export const logger = pino({
  level,
  base: { service: "rfm-app" },
  redact: {
    paths: ["accessToken", "*.accessToken", "refreshToken", "*.refreshToken", "headers.authorization"],
    censor: "[redacted]",
  },
});

export type Logger = pino.Logger;
