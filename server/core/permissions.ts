/**
 * Roles, the permissions they grant and the kind of place they bind to.
 * 三员分立 (separation of administrators): sysadmin, secadmin and auditor are disjoint —
 * no account may hold two of them, and none of their permissions overlap in work.
 */
// ── events (issue 4): kept in their own block to ease merging ──
const EVENT_PERMISSIONS = [
  'event.read', // events of my place (department staff: events whistled to my organisation)
  'event.report', // file an event (residents: see only their own)
  'event.handle', // accept, handle, escalate, verify, close at my level
  'event.dispatch', // whistle (吹哨) to departments, assign lead and assisting departments
  'event.supervise', // supervise (督办) and approve suspensions below my level; measures and dashboard
  'event.configure', // categories, time limits, calendar, Open311 keys
] as const;

export const PERMISSIONS = [
  'system.manage', // settings, backups, territory structure at any level
  'territory.read',
  'territory.write',
  'org.read',
  'org.write',
  'user.read',
  'user.write', // create users, reset passwords, unlock, bind roles
  'audit.read', // search, export and verify the audit log
  'registry.read', // persons, houses' households, units, vehicles, tenancies, visitors (masked)
  'registry.write',
  'registry.reveal', // show an ID number or phone in clear, with a reason; always audited
  'registry.import', // bulk import from Excel/CSV
  // services for residents (MISSION V1–V4) and people who serve (P1–P3)
  'service.read', // the service catalogue published in the caller's communities
  'service.apply', // apply for a service, post a help order; residents see only their own
  'service.handle', // one window (全科社工): accept and handle any item for any resident in scope
  'service.configure', // catalogue per district, publication per community, certificate lists
  'certificate.issue', // issue certificates on the community's certificate list
  'order.take', // take help orders (海多多): volunteers, party members, community workers
  'volunteer.manage', // volunteers, 一帮一 pairs, projects and hours, party posts
  'party.post', // a party member claims a service post and logs the work (王殿海工作法)
  'points.read', // one's own points and the points shop
  'points.manage', // points rules, shop items, participation awards, ledger verification
  // Workforce (社工队伍, W1–W7)
  'workforce.read', // worker archives; without workforce.manage: one's own, and one's community's as its 书记/主任
  'workforce.manage', // archives, posts, staffing, training, honours, care, rota (street and district HR)
  'workforce.recruit', // recruitment plans, applications, scores, notice, appointment
  'workforce.pay', // pay schemes, grade runs, pay runs
  // Residents decide together (issue 7).
  'deliberation.read', // topics, bodies, meetings, votes and their live participation in scope
  'deliberation.manage', // triage topics; bodies, meetings, minutes, resolutions; open/close votes, paper ballots; conventions, notices
  'deliberation.participate', // a resident: raise and support topics, vote, check in at meetings, in their own place
  ...EVENT_PERMISSIONS,
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type RoleKey =
  | 'sysadmin'
  | 'secadmin'
  | 'auditor'
  | 'district_admin'
  | 'street_staff'
  | 'community_worker'
  | 'grid_worker'
  | 'department_staff'
  | 'resident'
  | 'volunteer'
  | 'party_member';

export type AdminDuty = 'system' | 'security' | 'audit';

export interface RoleDef {
  key: RoleKey;
  zh: string;
  en: string;
  /** Which kinds of node the role may be bound to. */
  binds: ReadonlyArray<'global' | 'territory' | 'org'>;
  /** For territory bindings: the levels a binding may sit at. */
  levels?: ReadonlyArray<string>;
  permissions: ReadonlyArray<Permission>;
  duty?: AdminDuty;
}

export const ROLES: Record<RoleKey, RoleDef> = {
  sysadmin: {
    key: 'sysadmin',
    zh: '系统管理员',
    en: 'System administrator',
    binds: ['global'],
    permissions: ['system.manage', 'territory.read', 'territory.write', 'org.read', 'org.write'],
    duty: 'system',
  },
  secadmin: {
    key: 'secadmin',
    zh: '安全管理员',
    en: 'Security administrator',
    binds: ['global'],
    // Reads territory and organisations only to choose the node a role is bound to.
    permissions: ['user.read', 'user.write', 'territory.read', 'org.read'],
    duty: 'security',
  },
  auditor: {
    key: 'auditor',
    zh: '审计管理员',
    en: 'Audit administrator',
    binds: ['global'],
    permissions: ['audit.read'],
    duty: 'audit',
  },
  district_admin: {
    key: 'district_admin',
    zh: '区级管理员',
    en: 'District administrator',
    binds: ['territory'],
    levels: ['province', 'city', 'district'],
    permissions: [
      'territory.read',
      'territory.write',
      'org.read',
      'org.write',
      'user.read',
      'user.write',
      'registry.read',
      'registry.write',
      'registry.reveal',
      'registry.import',
      'service.read',
      'service.handle',
      'service.configure',
      'volunteer.manage',
      'points.manage',
      'workforce.read',
      'workforce.manage',
      'workforce.recruit',
      'workforce.pay',
      'deliberation.read',
      'deliberation.manage',
    ],
  },
  street_staff: {
    key: 'street_staff',
    zh: '街道工作人员',
    en: 'Street staff',
    binds: ['territory'],
    levels: ['street'],
    permissions: [
      'territory.read',
      'org.read',
      'org.write',
      'registry.read',
      'registry.write',
      'registry.reveal',
      'registry.import',
      'service.read',
      'service.handle',
      'workforce.read',
      'workforce.manage',
      'workforce.recruit',
      'deliberation.read',
      'deliberation.manage',
    ],
  },
  community_worker: {
    key: 'community_worker',
    zh: '社区工作者',
    en: 'Community worker',
    binds: ['territory'],
    levels: ['community'],
    permissions: [
      'territory.read',
      'org.read',
      'registry.read',
      'registry.write',
      'registry.reveal',
      'registry.import',
      'service.read',
      'service.handle',
      'certificate.issue',
      'order.take',
      'volunteer.manage',
      'points.manage',
      'workforce.read',
      'deliberation.read',
      'deliberation.manage',
    ],
  },
  grid_worker: {
    key: 'grid_worker',
    zh: '网格员',
    en: 'Grid worker',
    binds: ['territory'],
    levels: ['grid'],
    // Within the grid only (the binding's scope): the people they visit door to door.
    permissions: [
      'territory.read',
      'org.read',
      'registry.read',
      'registry.write',
      'registry.reveal',
      'service.read',
      'workforce.read',
      'deliberation.read',
    ],
  },
  department_staff: {
    key: 'department_staff',
    zh: '部门工作人员',
    en: 'Department staff',
    binds: ['org'],
    permissions: ['territory.read', 'org.read'],
  },
  resident: {
    key: 'resident',
    zh: '居民',
    en: 'Resident',
    binds: ['territory'],
    levels: ['community', 'grid', 'building', 'unit', 'house'],
    permissions: ['service.read', 'service.apply', 'points.read', 'deliberation.participate'],
  },
  volunteer: {
    key: 'volunteer',
    zh: '志愿者',
    en: 'Volunteer',
    binds: ['territory', 'org'],
    levels: ['street', 'community', 'grid'],
    permissions: ['service.read', 'service.apply', 'order.take', 'points.read', 'deliberation.participate'],
  },
  party_member: {
    key: 'party_member',
    zh: '党员',
    en: 'Party member',
    binds: ['territory'],
    levels: ['street', 'community', 'grid'],
    // 自管党员 claim posts; 在职党员 registered with their home community (双报到) take orders there.
    permissions: ['service.read', 'service.apply', 'order.take', 'party.post', 'points.read', 'deliberation.participate'],
  },
};

// ── events (issue 4): the event permissions each role holds, granted in one block ──
const EVENT_GRANTS: Partial<Record<RoleKey, Permission[]>> = {
  district_admin: ['event.read', 'event.report', 'event.supervise', 'event.configure'],
  street_staff: ['event.read', 'event.report', 'event.handle', 'event.dispatch', 'event.supervise'],
  community_worker: ['event.read', 'event.report', 'event.handle', 'event.supervise'],
  grid_worker: ['event.read', 'event.report', 'event.handle'],
  department_staff: ['event.read', 'event.handle'],
  resident: ['event.report'],
};
for (const [role, grants] of Object.entries(EVENT_GRANTS) as [RoleKey, Permission[]][]) {
  ROLES[role] = { ...ROLES[role], permissions: [...ROLES[role].permissions, ...grants] };
}

export const ROLE_KEYS = Object.keys(ROLES) as RoleKey[];

export function isRoleKey(value: string): value is RoleKey {
  return Object.hasOwn(ROLES, value);
}

/**
 * Whether a user holding `held` roles may also take `adding`: an administrator of one duty
 * may hold no other administrator duty and no business role, and vice versa.
 */
export function separationConflict(held: readonly RoleKey[], adding: RoleKey): RoleKey | null {
  const addDuty = ROLES[adding].duty;
  for (const r of held) {
    if (r === adding) continue;
    const duty = ROLES[r].duty;
    if (addDuty && duty !== addDuty) return r;
    if (!addDuty && duty) return r;
  }
  return null;
}

/** A caller's reach for one permission: everywhere, or under some territory / org paths. */
export type Scope = { all: true } | { all: false; territoryPaths: string[]; orgPaths: string[] };

export const NO_SCOPE: Scope = { all: false, territoryPaths: [], orgPaths: [] };

export interface Binding {
  role: RoleKey;
  scopeType: 'global' | 'territory' | 'org';
  scopePath: string | null;
  orgPath: string | null;
}

export function permissionsOf(bindings: readonly Binding[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const b of bindings) for (const p of ROLES[b.role]?.permissions ?? []) out.add(p);
  return out;
}

export function scopeFor(bindings: readonly Binding[], permission: Permission): Scope {
  const territoryPaths = new Set<string>();
  const orgPaths = new Set<string>();
  for (const b of bindings) {
    if (!ROLES[b.role]?.permissions.includes(permission)) continue;
    if (b.scopeType === 'global') return { all: true };
    if (b.scopePath) territoryPaths.add(b.scopePath);
    if (b.orgPath) orgPaths.add(b.orgPath);
  }
  return { all: false, territoryPaths: [...territoryPaths], orgPaths: [...orgPaths] };
}

/** Pure check: is an ltree path equal to or under any of the scope's territory paths? */
export function pathInScope(scope: Scope, path: string): boolean {
  if (scope.all) return true;
  return scope.territoryPaths.some((p) => path === p || path.startsWith(p + '.'));
}
