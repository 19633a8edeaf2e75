import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import nextPlugin from "@next/eslint-plugin-next";

/** The import pattern for code that runs in the browser: lib/client and lib/contract only. */
function browserOnly(who) {
  return {
    group: [
      "@/lib/**",
      "**/lib/**",
      "!@/lib/client",
      "!@/lib/client/**",
      "!@/lib/contract",
      "!@/lib/contract/**",
      "!**/lib/client",
      "!**/lib/client/**",
      "!**/lib/contract",
      "!**/lib/contract/**",
      "server-only",
    ],
    message: `${who} run in the browser: import lib/client and lib/contract only (server modules stay on the server).`,
  };
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "out/**",
      ".next/**",
      ".next-api/**",
      ".data/**",
      "infra/cdk.out/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      // Plain CloudFront Function (cloudfront-js-2.0), checked by its own tests.
      "edge/viewer-request.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-misused-promises": [
        "error",
        { checksVoidReturn: { attributes: false } },
      ],
      "@typescript-eslint/only-throw-error": "error",
    },
  },
  {
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...nextPlugin.configs.recommended.rules,
    },
  },
  // Boundaries (README "Layout"): what runs in the browser imports no server module;
  // the edge and infra stand apart. Each rule names the layer it keeps and why.
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["app/api/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [browserOnly("Pages and components")] }],
    },
  },
  {
    files: ["lib/client/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            browserOnly("lib/client"),
            {
              group: ["../**", "!../contract", "!../contract/**"],
              message: "lib/client runs in the browser: its siblings in lib/ are server modules.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/contract/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/**", "../**", "!@/lib", "!@/lib/contract", "!@/lib/contract/**"],
              message:
                "lib/contract is the API's shapes, imported by the browser and the server alike: it imports nothing of either.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["edge/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/lib/db", "**/lib/db/**", "**/lib/auth", "**/lib/auth/**"],
              message:
                "The edge stands in for CloudFront: it checks signatures, never the database or a session.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["infra/lib/**/*.ts", "infra/bin/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@/**",
                "../../**",
                "!../../edge",
                "!../../edge/cloudfront",
                "!../../edge/security-headers",
                "!../../edge/cloudfront/signing-key-type",
              ],
              message:
                "infra deploys the app, it does not run it: it shares only the headers spec and the CloudFront key-type rule with edge/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.mjs", "**/*.cjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
