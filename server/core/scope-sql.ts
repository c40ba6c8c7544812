import { sql, type Expression, type SqlBool } from 'kysely';
import type { Scope } from './permissions.ts';

/**
 * The scope filter every store applies to territorial rows: the row's ltree path must lie
 * at or under one of the caller's scope paths (`path <@ any(scopes)`, served by the GiST index).
 */
export function inTerritoryScope(scope: Scope, pathColumn: string): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  if (scope.territoryPaths.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(pathColumn)} <@ ${sql.val(scope.territoryPaths)}::text[]::ltree[]`;
}

/**
 * Organisation rows are visible through the org tree, or through the territory: organisations in
 * the caller's area, and those at a place above it that serve it (the district's departments a
 * street whistles to, the street's party committee above a community's).
 */
export function inOrgScope(scope: Scope, orgPathColumn: string, territoryPathColumn: string): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  const parts = [];
  if (scope.orgPaths.length) parts.push(sql`${sql.ref(orgPathColumn)} <@ ${sql.val(scope.orgPaths)}::text[]::ltree[]`);
  if (scope.territoryPaths.length) {
    const paths = sql`${sql.val(scope.territoryPaths)}::text[]::ltree[]`;
    parts.push(sql`${sql.ref(territoryPathColumn)} <@ ${paths}`);
    parts.push(sql`${sql.ref(territoryPathColumn)} @> ${paths}`);
  }
  if (!parts.length) return sql<SqlBool>`false`;
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
