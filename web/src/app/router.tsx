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
const TopicsPage = lazy(() => import('../modules/deliberation/TopicsPage'));
const TopicPage = lazy(() => import('../modules/deliberation/TopicPage'));
const MeetingsPage = lazy(() => import('../modules/deliberation/MeetingsPage'));
const MeetingPage = lazy(() => import('../modules/deliberation/MeetingPage'));
const VotesPage = lazy(() => import('../modules/deliberation/VotesPage'));
const VotePage = lazy(() => import('../modules/deliberation/VotePage'));
const CheckinPage = lazy(() => import('../modules/deliberation/CheckinPage'));
const BoardPage = lazy(() => import('../modules/deliberation/BoardPage'));

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
        {/* the public board needs no sign-in */}
        <Route path="/board/:code" element={<BoardPage />} />
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
          <Route path="topics" element={<TopicsPage />} />
          <Route path="topics/:id" element={<TopicPage />} />
          <Route path="meetings" element={guarded('deliberation.read', <MeetingsPage />)} />
          <Route path="meetings/:id" element={guarded('deliberation.read', <MeetingPage />)} />
          <Route path="votes" element={<VotesPage />} />
          <Route path="votes/:id" element={<VotePage />} />
          <Route path="checkin/:id" element={<CheckinPage />} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
