import { Menu } from 'antd';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useLang } from '../LangContext';
import { NAV_ITEMS, navAllowed, navKeyFor } from './navItems';

export function NavMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { can, needsSetup } = useAuth();
  const { t } = useLang();
  const location = useLocation();
  const navigate = useNavigate();

  const items = NAV_ITEMS.filter((item) => navAllowed(item, can)).map((item) => ({
    key: item.path,
    icon: item.icon,
    label: t(item.labelKey),
    // until the account is set up only the profile page is open
    disabled: needsSetup && item.path !== '/profile',
    'data-testid': `nav-${item.path === '/' ? 'home' : item.path.slice(1)}`,
  }));

  return (
    <Menu
      mode="inline"
      selectedKeys={[navKeyFor(location.pathname)]}
      items={items}
      onClick={({ key }) => {
        navigate(key);
        onNavigate?.();
      }}
      style={{ borderInlineEnd: 'none' }}
    />
  );
}
