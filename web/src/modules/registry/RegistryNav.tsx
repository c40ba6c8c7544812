import { Tabs } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';

/** The registry's sections as tabs above each page. */
export function RegistryNav() {
  const { t } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const active = ['/registry/units', '/registry/vehicles', '/registry/rentals', '/registry/import'].find((p) => pathname.startsWith(p)) ?? '/registry';
  const items = [
    { key: '/registry', label: t('registry.tab.people') },
    { key: '/registry/units', label: t('registry.tab.units') },
    { key: '/registry/vehicles', label: t('registry.tab.vehicles') },
    { key: '/registry/rentals', label: t('registry.tab.rentals') },
    ...(can('registry.import') ? [{ key: '/registry/import', label: t('registry.tab.import') }] : []),
  ];
  return <Tabs activeKey={active} items={items} onChange={(k) => navigate(k)} style={{ marginBottom: 8 }} />;
}
