/** A JSON Schema (draft 2020-12) document, as ajv and OpenAPI 3.1 both read it. */
export type JsonSchema = { readonly [key: string]: unknown };
