import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Card, Flex, Form, Input, QRCode, Tag, Typography } from 'antd';
import { useAuth } from '../../app/auth';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { profileApi } from './api';

function CodeForm({
  label,
  testId,
  loading,
  onSubmit,
  danger,
}: {
  label: string;
  testId: string;
  loading: boolean;
  onSubmit: (code: string) => void;
  danger?: boolean;
}) {
  const { t } = useLang();
  const [form] = Form.useForm<{ code: string }>();
  return (
    <Form form={form} layout="inline" onFinish={(v) => onSubmit(v.code.trim())} style={{ rowGap: 8 }}>
      <Form.Item name="code" rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.totpInvalidFormat') }]}>
        <Input
          placeholder={t('login.totpPlaceholder')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          style={{ width: 140 }}
          data-testid={`${testId}-code`}
        />
      </Form.Item>
      <Button htmlType="submit" type={danger ? 'default' : 'primary'} danger={danger} loading={loading} data-testid={testId}>
        {label}
      </Button>
    </Form>
  );
}

export function TotpCard() {
  const { t } = useLang();
  const { session, refresh } = useAuth();
  const user = session!.user;
  const [setup, setSetup] = useState<{ secret: string; otpauthUrl: string } | null>(null);

  const start = useMutation({ mutationFn: profileApi.totpSetup, onSuccess: setSetup });
  const enable = useMutation({
    mutationFn: profileApi.totpEnable,
    onSuccess: async () => {
      showSuccess(t('profile.totpEnabledMsg'));
      setSetup(null);
      await refresh();
    },
  });
  const disable = useMutation({
    mutationFn: profileApi.totpDisable,
    onSuccess: async () => {
      showSuccess(t('profile.totpDisabledMsg'));
      await refresh();
    },
  });

  const status = user.totpEnabled ? <Tag color="green">{t('profile.totpEnabled')}</Tag> : <Tag>{t('profile.totpDisabled')}</Tag>;

  return (
    <Card size="small" title={t('profile.totpTitle')} extra={status} data-testid="totp-card">
      {user.totpEnabled ? (
        user.totpRequired ? (
          <Typography.Text type="secondary">{t('profile.totpRequiredNote')}</Typography.Text>
        ) : (
          <Flex vertical gap={8}>
            <Typography.Text type="secondary">{t('profile.totpDisableHint')}</Typography.Text>
            <CodeForm
              label={t('profile.totpDisable')}
              testId="totp-disable"
              loading={disable.isPending}
              onSubmit={(c) => disable.mutate(c)}
              danger
            />
          </Flex>
        )
      ) : setup ? (
        <Flex vertical gap={12}>
          <Typography.Text>{t('profile.totpScan')}</Typography.Text>
          <Flex wrap gap={16} align="center">
            <QRCode value={setup.otpauthUrl} size={168} data-testid="totp-qr" />
            <Typography.Text copyable code className="mono" style={{ wordBreak: 'break-all' }} data-testid="totp-secret">
              {setup.secret}
            </Typography.Text>
          </Flex>
          <CodeForm
            label={t('profile.totpEnable')}
            testId="totp-enable"
            loading={enable.isPending}
            onSubmit={(c) => enable.mutate(c)}
          />
        </Flex>
      ) : (
        <Flex vertical gap={8} align="flex-start">
          <Button type="primary" onClick={() => start.mutate()} loading={start.isPending} data-testid="totp-setup">
            {t('profile.totpSetup')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
