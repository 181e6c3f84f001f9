/**
 * Jest's object in an ESM test file is `import.meta.jest` (the global `jest` is absent under
 * --experimental-vm-modules); @types/jest declares only the global, with the same shape.
 */
interface ImportMeta {
  jest: typeof jest;
}
