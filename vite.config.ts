import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

const isVitest = Boolean(process.env.VITEST);

export default defineConfig({
  server: {
    allowedHosts: true,
  },
  plugins: [
    ...(isVitest
      ? []
      : [
          remix({
            ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
            future: {
              v3_fetcherPersist: true,
              v3_relativeSplatPath: true,
              v3_throwAbortReason: true,
              v3_lazyRouteDiscovery: true,
              v3_singleFetch: true,
              v3_routeConfig: false,
            },
          }),
        ]),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Every client dependency is optimised in the first pass: a cold cache must not
  // discover React twice (two copies break hooks on the first page load).
  optimizeDeps: {
    entries: ["./app/root.tsx", "./app/routes/**/*.tsx"],
    include: [
      "react",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "react-dom",
      "react-dom/client",
      "@remix-run/react",
      "@shopify/polaris",
      "@shopify/app-bridge-react",
      "@shopify/shopify-app-remix/react",
    ],
  },
  test: {
    include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    globalSetup: ["test/setup/global-setup.ts"],
    setupFiles: ["test/setup/per-file.ts"],
    pool: "forks",
    poolOptions: { forks: { maxForks: Number(process.env.TEST_WORKERS ?? 2), minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: true,
  },
});
