// ESLint flat config: Next.js' recommended rules (Core Web Vitals) plus typescript-eslint's
// recommended set, both shipped by eslint-config-next as flat configs.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    // Generated or produced by tools, never edited by hand.
    ignores: ["generated/**", ".data/**", ".test-data/**", ".bench-data/**", ".data-demo/**", "test-results/**", "playwright-report/**"],
  },
  {
    rules: {
      // An unused name is a mistake in this code base, not a style nit: fail the lint step.
      // A leading underscore marks a deliberately ignored parameter or destructured rest.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "@typescript-eslint/no-unused-expressions": "error",
    },
  },
];

export default config;
