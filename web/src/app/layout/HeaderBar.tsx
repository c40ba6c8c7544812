import { Button, Flex, Tooltip, Typography } from 'antd';
import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useAuth } from '../auth';
import { useLang } from '../LangContext';
import { NotificationBell } from '../../modules/events/NotificationBell';

export function LangSwitch() {
  const { lang, setLang, t } = useLang();
  return (
    <Tooltip title={t('lang.switchTitle')}>
      <Button
        data-testid="lang-switch"
        size="small"
        onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        aria-label={t('lang.switchTitle')}
      >
        {t('lang.switch')}
      </Button>
    </Tooltip>
  );
}

export function Brand() {
  const { t } = useLang();
  return (
    <Link to="/" className="brand">
      <span className="brand-mark" aria-hidden>
        {t('app.mark')}
      </span>
      <span className="brand-name">{t('app.name')}</span>
    </Link>
  );
}

export function HeaderBar({ mobile, onMenu }: { mobile: boolean; onMenu: () => void }) {
  const { session, logout } = useAuth();
  const { t } = useLang();

  return (
    <Flex align="center" justify="space-between" gap={8} className="app-header-inner">
      <Flex align="center" gap={8} style={{ minWidth: 0 }}>
        {mobile && (
          <Button type="text" icon={<MenuOutlined />} onClick={onMenu} aria-label={t('nav.menu')} data-testid="nav-toggle" />
        )}
        <Brand />
      </Flex>
      <Flex align="center" gap={mobile ? 4 : 12} style={{ minWidth: 0 }}>
        {session && (
          <Link to="/profile" className="header-user" data-testid="header-user">
            <UserOutlined />
            <Typography.Text ellipsis style={{ maxWidth: mobile ? 72 : 200 }}>
              {session.user.displayName || session.user.username}
            </Typography.Text>
          </Link>
        )}
        {session && <NotificationBell />}
        <LangSwitch />
        {session && (
          <Tooltip title={t('nav.logout')}>
            <Button
              data-testid="logout"
              size="small"
              icon={<LogoutOutlined />}
              onClick={() => void logout()}
              aria-label={t('nav.logout')}
            >
              {mobile ? null : t('nav.logout')}
            </Button>
          </Tooltip>
        )}
      </Flex>
    </Flex>
  );
}
