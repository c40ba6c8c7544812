import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Tabs } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import type { MessageKey } from '../../app/i18n';
import type { Permission } from '../../app/types';
import WorkersPage from './WorkersPage';
import ArchivePage from './ArchivePage';
import StaffingPage from './StaffingPage';
import RecruitmentPage from './RecruitmentPage';
import PayPage from './PayPage';
import CarePage from './CarePage';
import RotaPage from './RotaPage';
import TrainingPage from './TrainingPage';
import GridScorePage from './GridScorePage';
import VisitsPage from './VisitsPage';

const TABS: { key: string; label: MessageKey; permission: Permission; role?: string }[] = [
  { key: '', label: 'wf.tab.workers', permission: 'workforce.read' },
  { key: 'staffing', label: 'wf.tab.staffing', permission: 'workforce.read' },
  { key: 'recruitment', label: 'wf.tab.recruitment', permission: 'workforce.read' },
  { key: 'pay', label: 'wf.tab.pay', permission: 'workforce.pay' },
  { key: 'grid', label: 'wf.tab.grid', permission: 'workforce.pay' },
  { key: 'training', label: 'wf.tab.training', permission: 'workforce.manage' },
  { key: 'care', label: 'wf.tab.care', permission: 'workforce.manage' },
  { key: 'rota', label: 'wf.tab.rota', permission: 'workforce.read' },
  { key: 'visits', label: 'wf.tab.visits', permission: 'workforce.read', role: 'grid_worker' },
];

/** The workforce section: one tab bar, one page per responsibility. */
export default function WorkforceRoutes() {
  const { t } = useLang();
  const { can, session } = useAuth();
  const roles = new Set((session?.roles ?? []).map((r) => r.role));
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? '';
  const active = current === 'workers' ? '' : current;
  return (
    <div>
      <Tabs
        activeKey={active}
        onChange={(k) => navigate(`/workforce${k ? `/${k}` : ''}`)}
        items={TABS.filter((x) => can(x.permission) && (!x.role || roles.has(x.role))).map((x) => ({
          key: x.key,
          label: <span data-testid={`wf-tab-${x.key || 'workers'}`}>{t(x.label)}</span>,
        }))}
      />
      <Routes>
        <Route index element={<WorkersPage />} />
        <Route path="workers/:id" element={<ArchivePage />} />
        <Route path="staffing/:code?" element={<StaffingPage />} />
        <Route path="recruitment/:id?" element={<RecruitmentPage />} />
        <Route path="pay" element={<PayPage />} />
        <Route path="care" element={<CarePage />} />
        <Route path="rota" element={<RotaPage />} />
        <Route path="training" element={<TrainingPage />} />
        <Route path="grid" element={<GridScorePage />} />
        <Route path="visits" element={<VisitsPage />} />
      </Routes>
    </div>
  );
}
