import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AlertOutlined,
  AuditOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { MessageKey } from '../i18n';
import type { Permission } from '../types';

export interface NavItem {
  path: string;
  labelKey: MessageKey;
  icon: ReactNode;
  /** shown only to holders of this permission; the menu follows permissions, not role names */
  permission?: Permission;
  /** one-line description for the home page shortcuts */
  hintKey?: MessageKey;
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/', labelKey: 'nav.home', icon: <HomeOutlined /> },
  {
    path: '/territory',
    labelKey: 'nav.territory',
    icon: <EnvironmentOutlined />,
    permission: 'territory.read',
    hintKey: 'home.short.territory',
  },
  // events (issue 4)
  { path: '/events', labelKey: 'nav.events', icon: <AlertOutlined />, permission: 'event.report', hintKey: 'home.short.events' },
  {
    path: '/events/dashboard',
    labelKey: 'nav.eventDashboard',
    icon: <DashboardOutlined />,
    permission: 'event.supervise',
    hintKey: 'home.short.eventDashboard',
  },
  { path: '/mediation', labelKey: 'nav.mediation', icon: <TeamOutlined />, permission: 'event.handle', hintKey: 'home.short.mediation' },
  { path: '/orgs', labelKey: 'nav.orgs', icon: <ApartmentOutlined />, permission: 'org.read', hintKey: 'home.short.orgs' },
  { path: '/users', labelKey: 'nav.users', icon: <TeamOutlined />, permission: 'user.read', hintKey: 'home.short.users' },
  { path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read', hintKey: 'home.short.audit' },
  { path: '/profile', labelKey: 'nav.profile', icon: <UserOutlined />, hintKey: 'home.short.profile' },
];

/** The menu key for a location: the first path segment. */
export function navKeyFor(pathname: string): string {
  // the longest menu path the location sits under (/events/dashboard before /events)
  const hit = NAV_ITEMS.filter((i) => i.path !== '/' && (pathname === i.path || pathname.startsWith(i.path + '/'))).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  if (hit && hit.path.split('/').length > 2) return hit.path;
  const first = pathname.split('/')[1] ?? '';
  return first ? `/${first}` : '/';
}
