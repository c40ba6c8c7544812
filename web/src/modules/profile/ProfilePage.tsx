import { Alert, Card, Col, Descriptions, Flex, Row, Typography } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { RoleTag } from '../users/RoleTag';
import { ChangePasswordCard } from './ChangePasswordCard';
import { TokensCard } from './TokensCard';
import { TotpCard } from './TotpCard';

export default function ProfilePage() {
  const { t } = useLang();
  const { session } = useAuth();
  if (!session) return null;
  const { user, roles } = session;
  const mustChange = user.mustChangePassword;
  const totpNeeded = user.totpRequired && !user.totpEnabled;

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} className="page-title" style={{ marginBottom: 0 }}>
        {t('profile.title')}
      </Typography.Title>
      {mustChange && (
        <Alert
          type="warning"
          showIcon
          title={t('profile.mustChangePassword')}
          description={t('profile.mustChangePasswordHint')}
          data-testid="banner-password"
        />
      )}
      {totpNeeded && (
        <Alert
          type="warning"
          showIcon
          title={t('profile.totpNeeded')}
          description={t('profile.totpNeededHint')}
          data-testid="banner-totp"
        />
      )}
      <Card size="small" title={t('profile.account')}>
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'username', label: t('users.username'), children: <span className="mono">{user.username}</span> },
            { key: 'displayName', label: t('users.displayName'), children: user.displayName },
            {
              key: 'roles',
              label: t('users.roles'),
              span: 'filled',
              children: roles.length ? (
                <Flex wrap gap={6}>
                  {roles.map((r) => (
                    <RoleTag key={r.id} binding={r} />
                  ))}
                </Flex>
              ) : (
                t('users.noRoles')
              ),
            },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <ChangePasswordCard />
        </Col>
        <Col xs={24} xl={12}>
          <TotpCard />
        </Col>
      </Row>
      {!mustChange && !totpNeeded && <TokensCard />}
    </Flex>
  );
}
