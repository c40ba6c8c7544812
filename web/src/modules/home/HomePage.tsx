import { Alert, Card, Col, Empty, Flex, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { NAV_ITEMS, navAllowed } from '../../app/layout/navItems';
import { RoleTag } from '../users/RoleTag';
import { AreaStats } from './AreaStats';

export default function HomePage() {
  const { session, can } = useAuth();
  const { t } = useLang();
  if (!session) return null;
  const { user, roles } = session;

  const shortcuts = NAV_ITEMS.filter((item) => item.hintKey && navAllowed(item, can));
  const nothingGranted = !shortcuts.some((item) => item.permission || item.anyOf);

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={3} className="page-title">
          {t('home.welcome', { name: user.displayName || user.username })}
        </Typography.Title>
        <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
      </div>

      {can('territory.read') && <AreaStats />}

      <Card title={t('home.rolesTitle')} size="small">
        {roles.length === 0 ? (
          <Empty description={t('home.noRoles')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
            <Typography.Text type="secondary">{t('home.noRolesHint')}</Typography.Text>
          </Empty>
        ) : (
          <Flex wrap gap={8} data-testid="home-roles">
            {roles.map((r) => (
              <RoleTag key={r.id} binding={r} />
            ))}
          </Flex>
        )}
      </Card>

      <Card title={t('home.shortcuts')} size="small">
        {/* with no roles at all the card above already says what to do */}
        {nothingGranted && roles.length > 0 && (
          <Alert type="info" showIcon title={t('home.noShortcuts')} style={{ marginBottom: 12 }} />
        )}
        <Row gutter={[12, 12]}>
          {shortcuts.map((item) => (
            <Col key={item.path} xs={24} sm={12} lg={8}>
              <Link to={item.path} data-testid={`shortcut-${item.path.slice(1)}`} style={{ display: 'block', height: '100%' }}>
                <Card hoverable size="small" style={{ height: '100%' }}>
                  <Flex gap={12} align="flex-start">
                    <span style={{ fontSize: 22, color: '#1f5fbf' }}>{item.icon}</span>
                    <div>
                      <Typography.Text strong>{t(item.labelKey)}</Typography.Text>
                      <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
                        {item.hintKey ? t(item.hintKey) : null}
                      </Typography.Paragraph>
                    </div>
                  </Flex>
                </Card>
              </Link>
            </Col>
          ))}
        </Row>
      </Card>
    </Flex>
  );
}
