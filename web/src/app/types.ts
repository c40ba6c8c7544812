// Shapes of the API's JSON, as the contract in the server's routes describes them.

export type ScopeType = 'territory' | 'org' | 'global';

export interface RoleBinding {
  id: string | number;
  role: string;
  /** the server's own label for the role, used for roles this app does not know yet */
  roleName?: string;
  scopeType: ScopeType;
  scopeCode: string | null;
  scopeName: string | null;
}

export interface CurrentUser {
  id: string | number;
  username: string;
  displayName: string;
  locale?: string | null;
  totpEnabled: boolean;
  totpRequired: boolean;
  mustChangePassword: boolean;
}

export interface Session {
  user: CurrentUser;
  roles: RoleBinding[];
  permissions: string[];
  csrfToken?: string;
}

export type Permission =
  | 'territory.read'
  | 'territory.write'
  | 'org.read'
  | 'org.write'
  | 'user.read'
  | 'user.write'
  | 'audit.read'
  | 'system.manage'
  | 'registry.read'
  | 'registry.write'
  | 'registry.reveal'
  | 'registry.import'
  | 'service.read'
  | 'service.apply'
  | 'service.handle'
  | 'service.configure'
  | 'certificate.issue'
  | 'order.take'
  | 'volunteer.manage'
  | 'party.post'
  | 'points.read'
  | 'points.manage'
  | 'workforce.read'
  | 'workforce.manage'
  | 'workforce.recruit'
  | 'workforce.pay'
  | 'deliberation.read'
  | 'deliberation.manage'
  | 'deliberation.participate'
  // events (issue 4)
  | 'event.read'
  | 'event.report'
  | 'event.handle'
  | 'event.dispatch'
  | 'event.supervise'
  | 'event.configure';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Items<T> {
  items: T[];
}
