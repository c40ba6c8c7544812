import { sql, type Kysely } from 'kysely';

/**
 * Splits a SQL script into statements on top-level semicolons, keeping dollar-quoted bodies
 * ($$ … $$) and quoted strings whole. Used by migrations, because PGlite's extended protocol
 * (and a migration's transaction) takes one statement at a time.
 */
export function splitStatements(script: string): string[] {
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  let inQuote = false;
  let inLineComment = false;
  for (let i = 0; i < script.length; i++) {
    const ch = script[i];
    const next = script[i + 1];
    if (inLineComment) {
      if (ch === '\n') inLineComment = false;
      continue;
    }
    if (!inDollar && !inQuote && ch === '-' && next === '-') {
      inLineComment = true;
      continue;
    }
    if (!inQuote && ch === '$' && next === '$') {
      inDollar = !inDollar;
      current += '$$';
      i++;
      continue;
    }
    if (!inDollar && ch === "'") inQuote = !inQuote;
    if (!inDollar && !inQuote && ch === ';') {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitStatements(script)) {
    await sql.raw(statement).execute(db);
  }
}
