import type { Binding, RoleKey } from '../../core/permissions.ts';
import type { Relation } from './state-machine.ts';

/**
 * How a caller stands to an event, from their role bindings and the event's place (pure).
 * A handling role counts only when its place covers the event's place; department staff count
 * only for the departments summoned to the event, never for the whole district.
 */
export interface EventPlaceRefs {
  placePath: string;
  reporterId: string | null;
  leadOrgPath: string | null;
  assistOrgPaths: string[];
}

const LEVEL_ROLE: Partial<Record<RoleKey, Relation>> = {
  grid_worker: 'grid',
  community_worker: 'community',
  street_staff: 'street',
  district_admin: 'district',
};

function under(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + '.');
}

export function relationsOf(userId: string, bindings: readonly Binding[], e: EventPlaceRefs): Set<Relation> {
  const out = new Set<Relation>();
  if (e.reporterId && e.reporterId === userId) out.add('reporter');
  for (const b of bindings) {
    const rel = LEVEL_ROLE[b.role];
    if (rel && b.scopeType === 'territory' && b.scopePath && under(e.placePath, b.scopePath)) out.add(rel);
    if (b.role === 'department_staff' && b.orgPath) {
      if (e.leadOrgPath && under(e.leadOrgPath, b.orgPath)) out.add('lead');
      if (e.assistOrgPaths.some((p) => under(p, b.orgPath!))) out.add('assist');
    }
  }
  return out;
}
