/**
 * What a compiled expression reads: the `item.…` paths, taken from the parsed CEL AST. They
 * decide a finding's evidence (only the fields the rule read, never the whole item) and which
 * fields, when `unknown`, make an item insufficient evidence instead of pass or fail.
 */
interface AstNode {
  op: string;
  args: unknown;
}

const isNode = (v: unknown): v is AstNode => v !== null && typeof v === 'object' && 'op' in v && 'args' in v;

/** The field chain of a member access rooted at `item`, or undefined. */
function chainOf(node: AstNode): string[] | undefined {
  const path: string[] = [];
  let n: AstNode = node;
  for (;;) {
    if (n.op === 'id') return n.args === 'item' ? path.reverse() : undefined;
    if (n.op === '.' || n.op === '.?') {
      const [obj, field] = n.args as [AstNode, string];
      path.push(field);
      n = obj;
    } else if (n.op === '[]' || n.op === '[?]') {
      const [obj, key] = n.args as [AstNode, AstNode];
      if (key.op !== 'value' || typeof key.args !== 'string') return undefined;
      path.push(key.args);
      n = obj;
    } else return undefined;
  }
}

/** Maximal `item` paths read anywhere in the expression (no path is a prefix of another). */
export function itemPaths(ast: unknown): string[][] {
  const found = new Map<string, string[]>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!isNode(v)) return;
    const chain = v.op === '.' || v.op === '.?' || v.op === '[]' || v.op === '[?]' ? chainOf(v) : undefined;
    if (chain && chain.length > 0) {
      found.set(chain.join('\u0000'), chain);
      if (v.op === '[]' || v.op === '[?]') walk((v.args as unknown[])[1]);
      return;
    }
    walk(v.args);
  };
  walk(ast);
  const all = [...found.values()];
  return all.filter((p) => !all.some((q) => q.length > p.length && p.every((s, i) => q[i] === s)));
}

/** The value at a path, or undefined when any step is absent. */
export function valueAt(item: unknown, path: readonly string[]): unknown {
  let v = item;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * `{{item.a.b}}`, `{{params.x}}` and `{{details.key}}` in a message template, filled from the
 * item, the parameters and the rule's details (failing items of a rule with `details` only).
 */
export function renderMessage(
  template: string,
  item: unknown,
  params: Record<string, unknown>,
  details?: Record<string, unknown>,
): string {
  const roots: Record<string, unknown> = { item, params, details };
  return template.replace(
    /\{\{\s*(item|params|details)((?:\.[A-Za-z0-9_]+)*)\s*\}\}/g,
    (_m, root: string, rest: string) => {
      const v = valueAt(roots[root], rest.split('.').filter(Boolean));
      // details are an addition to the sentence: none (or none computed) adds nothing
      if (v === undefined || v === null) return root === 'details' ? '' : '(none)';
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  );
}

/** Where (offset in the expression) a variable is first read, or undefined when it never is. */
export function variableAt(ast: unknown, name: string): number | undefined {
  if (Array.isArray(ast)) {
    for (const x of ast) {
      const at = variableAt(x, name);
      if (at !== undefined) return at;
    }
    return undefined;
  }
  if (!isNode(ast)) return undefined;
  if (ast.op === 'id' && ast.args === name) return (ast as AstNode & { start?: number }).start ?? 0;
  return variableAt(ast.args, name);
}
