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
const PeoplePage = lazy(() => import('../modules/registry/PeoplePage'));
const PersonPage = lazy(() => import('../modules/registry/PersonPage'));
const HouseholdPage = lazy(() => import('../modules/registry/HouseholdPage'));
const BuildingPage = lazy(() => import('../modules/registry/BuildingPage'));
const ImportPage = lazy(() => import('../modules/registry/ImportPage'));
const UnitsPage = lazy(() => import('../modules/registry/RecordsPages').then((m) => ({ default: m.UnitsPage })));
const VehiclesPage = lazy(() => import('../modules/registry/RecordsPages').then((m) => ({ default: m.VehiclesPage })));
const RentalsPage = lazy(() => import('../modules/registry/RecordsPages').then((m) => ({ default: m.RentalsPage })));
const ServicesPage = lazy(() => import('../modules/services/ServicesPage'));
const OrdersPage = lazy(() => import('../modules/volunteering/OrdersPage'));
const VolunteersPage = lazy(() => import('../modules/volunteering/VolunteersPage'));
const VolunteerCheckinPage = lazy(() => import('../modules/volunteering/CheckinPage'));
const CertificateVerifyPage = lazy(() => import('../modules/services/VerifyPage'));
const WorkforceRoutes = lazy(() => import('../modules/workforce/WorkforceRoutes'));
const TopicsPage = lazy(() => import('../modules/deliberation/TopicsPage'));
const TopicPage = lazy(() => import('../modules/deliberation/TopicPage'));
const MeetingsPage = lazy(() => import('../modules/deliberation/MeetingsPage'));
const MeetingPage = lazy(() => import('../modules/deliberation/MeetingPage'));
const VotesPage = lazy(() => import('../modules/deliberation/VotesPage'));
const VotePage = lazy(() => import('../modules/deliberation/VotePage'));
const CheckinPage = lazy(() => import('../modules/deliberation/CheckinPage'));
const BoardPage = lazy(() => import('../modules/deliberation/BoardPage'));
const EventsPage = lazy(() => import('../modules/events/EventsPage'));
const ReportPage = lazy(() => import('../modules/events/ReportPage'));
const EventDetailPage = lazy(() => import('../modules/events/EventDetailPage'));
const DashboardPage = lazy(() => import('../modules/events/DashboardPage'));
const MediationPage = lazy(() => import('../modules/events/MediationPage'));
const CategoriesPage = lazy(() => import('../modules/events/CategoriesPage'));
const CalendarPage = lazy(() => import('../modules/events/CalendarPage'));
const ApplyPage = lazy(() => import('../modules/workforce/ApplyPage'));

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
        {/* certificate verification is public too: it shows no personal data */}
        <Route path="/verify/:code?" element={<CertificateVerifyPage />} />
        {/* the online application form for community-worker recruitment needs no sign-in */}
        <Route path="/apply/:planId?" element={<ApplyPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="territory/:code?" element={guarded('territory.read', <TerritoryPage />)} />
          <Route path="registry" element={guarded('registry.read', <PeoplePage />)} />
          <Route path="registry/persons/:id" element={guarded('registry.read', <PersonPage />)} />
          <Route path="registry/houses/:code" element={guarded('registry.read', <HouseholdPage />)} />
          <Route path="registry/buildings/:code" element={guarded('registry.read', <BuildingPage />)} />
          <Route path="registry/units" element={guarded('registry.read', <UnitsPage />)} />
          <Route path="registry/vehicles" element={guarded('registry.read', <VehiclesPage />)} />
          <Route path="registry/rentals" element={guarded('registry.read', <RentalsPage />)} />
          <Route path="registry/import" element={guarded('registry.import', <ImportPage />)} />
          <Route path="orgs" element={guarded('org.read', <OrgsPage />)} />
          <Route path="users" element={guarded('user.read', <UsersPage />)} />
          <Route path="audit" element={guarded('audit.read', <AuditPage />)} />
          <Route path="services" element={guarded('service.read', <ServicesPage />)} />
          <Route path="orders" element={guarded('service.read', <OrdersPage />)} />
          <Route path="volunteering" element={guarded('service.read', <VolunteersPage />)} />
          <Route path="volunteering/checkin/:id" element={guarded('order.take', <VolunteerCheckinPage />)} />
          <Route path="workforce/*" element={guarded('workforce.read', <WorkforceRoutes />)} />
          <Route path="topics" element={<TopicsPage />} />
          <Route path="topics/:id" element={<TopicPage />} />
          <Route path="meetings" element={guarded('deliberation.read', <MeetingsPage />)} />
          <Route path="meetings/:id" element={guarded('deliberation.read', <MeetingPage />)} />
          <Route path="votes" element={<VotesPage />} />
          <Route path="votes/:id" element={<VotePage />} />
          <Route path="checkin/:id" element={<CheckinPage />} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="events" element={guarded('event.report', <EventsPage />)} />
          <Route path="events/report" element={guarded('event.report', <ReportPage />)} />
          <Route path="events/dashboard" element={guarded('event.supervise', <DashboardPage />)} />
          <Route path="events/categories" element={guarded('event.configure', <CategoriesPage />)} />
          <Route path="events/calendar" element={guarded('event.read', <CalendarPage />)} />
          <Route path="events/:id" element={<EventDetailPage />} />
          <Route path="mediation" element={guarded('event.handle', <MediationPage />)} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
