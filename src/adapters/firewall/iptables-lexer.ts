/**
 * Splits one iptables-save line into arguments the way iptables-restore does: whitespace
 * separates, `"` opens and closes a quoted stretch (anywhere in an argument), a backslash takes
 * the next character literally. One pass, linear in the line's length.
 */
export interface Token {
  text: string;
  /** the argument used quotes or escapes: always a value, never an option or `!` */
  quoted: boolean;
}

export type LexResult = { tokens: Token[] } | { error: string };

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f';
}

export function tokenize(line: string): LexResult {
  const tokens: Token[] = [];
  let buf = '';
  let inToken = false;
  let quoted = false;
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      buf += line[++i];
      inToken = quoted = true;
    } else if (c === '"') {
      inQuote = !inQuote;
      inToken = quoted = true;
    } else if (!inQuote && isSpace(c)) {
      if (inToken) tokens.push({ text: buf, quoted });
      buf = '';
      inToken = quoted = false;
    } else {
      buf += c;
      inToken = true;
    }
  }
  if (inQuote) return { error: 'unterminated quote' };
  if (inToken) tokens.push({ text: buf, quoted });
  return { tokens };
}
