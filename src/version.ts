/** Kept equal to package.json's version by __tests__/cli.test.ts ("-V/--version"). */
export const VERSION = '0.1.0';
