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
const WorkforceRoutes = lazy(() => import('../modules/workforce/WorkforceRoutes'));

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
          <Route path="workforce/*" element={guarded('workforce.read', <WorkforceRoutes />)} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
