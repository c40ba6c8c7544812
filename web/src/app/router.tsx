import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes, Link } from 'react-router-dom';
import { Button, Result } from 'antd';
import { FullPageSpin, RequireAuth, RequirePermission } from './guards';
import { AppLayout } from './layout/AppLayout';
import { useLang } from './LangContext';
import type { Permission } from './types';

// Each capability's pages load on first visit, so the login page stays small.
const LoginPage = lazy(() => import('../modules/auth/LoginPage'));
const HomePage = lazy(() => import('../modules/home/HomePage'));
const TerritoryPage = lazy(() => import('../modules/territory/TerritoryPage'));
const OrgsPage = lazy(() => import('../modules/orgs/OrgsPage'));
const UsersPage = lazy(() => import('../modules/users/UsersPage'));
const AuditPage = lazy(() => import('../modules/audit/AuditPage'));
const ProfilePage = lazy(() => import('../modules/profile/ProfilePage'));
const EventsPage = lazy(() => import('../modules/events/EventsPage'));
const ReportPage = lazy(() => import('../modules/events/ReportPage'));
const EventDetailPage = lazy(() => import('../modules/events/EventDetailPage'));
const DashboardPage = lazy(() => import('../modules/events/DashboardPage'));
const MediationPage = lazy(() => import('../modules/events/MediationPage'));

function NotFound() {
  const { t } = useLang();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.backHome')}</Button>
        </Link>
      }
    />
  );
}

function guarded(permission: Permission, page: ReactNode) {
  return <RequirePermission permission={permission}>{page}</RequirePermission>;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<FullPageSpin />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="territory/:code?" element={guarded('territory.read', <TerritoryPage />)} />
          <Route path="orgs" element={guarded('org.read', <OrgsPage />)} />
          <Route path="users" element={guarded('user.read', <UsersPage />)} />
          <Route path="audit" element={guarded('audit.read', <AuditPage />)} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="events" element={guarded('event.report', <EventsPage />)} />
          <Route path="events/report" element={guarded('event.report', <ReportPage />)} />
          <Route path="events/dashboard" element={guarded('event.supervise', <DashboardPage />)} />
          <Route path="events/:id" element={<EventDetailPage />} />
          <Route path="mediation" element={guarded('event.handle', <MediationPage />)} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
