// Lint rules for the whole project (kept under .ci/ so the top level stays as the product owner fixed it).
// Patterns are relative to the working directory: npm run lint runs from the repository root.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "build/**", ".data/**", "app/generated/**", "test-results/**", "extensions/*/dist/**"],
  },
  {
    files: ["**/*.{ts,tsx,mjs}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { "react-hooks": reactHooks },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "no-console": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  // Import boundaries (issue 12). test/lint/boundaries.test.ts lints a breaking and a good fixture for each.
  {
    // The Shopify boundary: only app/shopify sends Admin API requests. Types are fine (a service takes an injected
    // client), and so are admin-clients (where a client to inject comes from) and admin-errors (what to catch).
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/shopify/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)shopify/admin-client\\.server$",
              allowTypeImports: true,
              message: "Only app/shopify/** calls the Admin API; take an injected client (a type import) instead.",
            },
            {
              regex: "^graphql-request$",
              allowTypeImports: true,
              message: "Only app/shopify/** calls the Admin API.",
            },
          ],
        },
      ],
    },
  },
  ...[
    // Pure rules: app/domain imports zod and other domain files, nothing else (no node:*, db, Shopify, i18n…).
    { files: ["app/domain/*.ts"], inside: "\\./(?!.*\\.\\./)" },
    { files: ["app/domain/rfm/**/*.ts"], inside: "(\\./|\\.\\./)(?!.*\\.\\./)" },
    // The prediction models also use @stdlib's special functions (log-gamma, log-beta, digamma).
    { files: ["app/domain/clv/**/*.ts"], inside: "@stdlib/math-base-special-[a-z0-9-]+$|(\\./|\\.\\./)(?!.*\\.\\./)" },
  ].map(({ files, inside }) => ({
    files,
    // Tests beside the rules may import their runner and the copy they check.
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(?!zod$|${inside})`,
              message: "app/domain holds pure rules: import only zod and other app/domain files.",
            },
          ],
        },
      ],
    },
  })),
  {
    // Routes wire loaders and actions to services; queries live in the page's *.server.ts or the pipeline.
    files: ["app/routes/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector:
            "CallExpression > MemberExpression.callee > MemberExpression.object[property.name!=/^\\$/] > CallExpression.object[callee.name='db']",
          message: "Routes never query Prisma: call the page's *.server.ts loader or a pipeline service.",
        },
        {
          selector:
            "CallExpression > MemberExpression.callee > MemberExpression.object[property.name!=/^\\$/] > Identifier.object[name=/^(db|tx|prisma)$/]",
          message: "Routes never query Prisma: call the page's *.server.ts loader or a pipeline service.",
        },
        {
          selector:
            "MemberExpression[property.name=/^\\$(queryRaw|queryRawUnsafe|executeRaw|executeRawUnsafe|transaction)$/]",
          message: "Routes never run SQL or transactions: that belongs in a service.",
        },
      ],
    },
  },
);
