import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  AlertOutlined,
  AuditOutlined,
  FileDoneOutlined,
  HeartOutlined,
  CommentOutlined,
  CheckSquareOutlined,
  SolutionOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  IdcardOutlined,
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
  /** or to holders of any of these (workers read what residents take part in) */
  anyOf?: Permission[];
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
  { path: '/registry', labelKey: 'nav.registry', icon: <IdcardOutlined />, permission: 'registry.read', hintKey: 'home.short.registry' },
  {
    path: '/topics',
    labelKey: 'nav.topics',
    icon: <CommentOutlined />,
    anyOf: ['deliberation.read', 'deliberation.participate'],
    hintKey: 'home.short.topics',
  },
  {
    path: '/votes',
    labelKey: 'nav.votes',
    icon: <CheckSquareOutlined />,
    anyOf: ['deliberation.read', 'deliberation.participate'],
    hintKey: 'home.short.votes',
  },
  { path: '/meetings', labelKey: 'nav.meetings', icon: <SolutionOutlined />, permission: 'deliberation.read', hintKey: 'home.short.meetings' },
  // events (issue 4)
  { path: '/events', labelKey: 'nav.events', icon: <AlertOutlined />, permission: 'event.report', hintKey: 'home.short.events' },
  {
    path: '/events/dashboard',
    labelKey: 'nav.eventDashboard',
    icon: <DashboardOutlined />,
    permission: 'event.supervise',
    hintKey: 'home.short.eventDashboard',
  },
  {
    path: '/events/categories',
    labelKey: 'nav.eventCategories',
    icon: <ApartmentOutlined />,
    permission: 'event.configure',
    hintKey: 'home.short.eventCategories',
  },
  { path: '/events/calendar', labelKey: 'nav.eventCalendar', icon: <DashboardOutlined />, permission: 'event.read', hintKey: 'home.short.eventCalendar' },
  { path: '/mediation', labelKey: 'nav.mediation', icon: <TeamOutlined />, permission: 'event.handle', hintKey: 'home.short.mediation' },
  { path: '/orgs', labelKey: 'nav.orgs', icon: <ApartmentOutlined />, permission: 'org.read', hintKey: 'home.short.orgs' },
  { path: '/workforce', labelKey: 'nav.workforce', icon: <IdcardOutlined />, permission: 'workforce.read', hintKey: 'home.short.workforce' },
  { path: '/users', labelKey: 'nav.users', icon: <TeamOutlined />, permission: 'user.read', hintKey: 'home.short.users' },
  { path: '/services', labelKey: 'nav.services', icon: <FileDoneOutlined />, permission: 'service.read', hintKey: 'home.short.services' },
  { path: '/orders', labelKey: 'nav.orders', icon: <HeartOutlined />, permission: 'service.read', hintKey: 'home.short.orders' },
  { path: '/volunteering', labelKey: 'nav.volunteering', icon: <TeamOutlined />, permission: 'service.read', hintKey: 'home.short.volunteering' },
  { path: '/audit', labelKey: 'nav.audit', icon: <AuditOutlined />, permission: 'audit.read', hintKey: 'home.short.audit' },
  { path: '/profile', labelKey: 'nav.profile', icon: <UserOutlined />, hintKey: 'home.short.profile' },
];

/** Whether the menu shows an item to a user. */
export function navAllowed(item: NavItem, can: (p: Permission) => boolean): boolean {
  if (item.anyOf) return item.anyOf.some(can);
  return !item.permission || can(item.permission);
}

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
