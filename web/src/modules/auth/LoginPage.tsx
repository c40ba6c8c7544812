import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography, type InputRef } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { formatDateTime } from '../../app/format';
import { useLang } from '../../app/LangContext';
import { Brand, LangSwitch } from '../../app/layout/HeaderBar';

interface LoginForm {
  username: string;
  password: string;
  totpCode?: string;
}

interface Notice {
  type: 'error' | 'info' | 'warning';
  text: string;
}

function safeTarget(from: unknown): string {
  // only same-site paths, never a full URL someone put in the state
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && from !== '/login' ? from : '/';
}

export default function LoginPage() {
  const { session, login } = useAuth();
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginForm>();
  const [totpNeeded, setTotpNeeded] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const totpRef = useRef<InputRef>(null);
  const target = safeTarget((location.state as { from?: unknown } | null)?.from);

  useEffect(() => {
    if (totpNeeded) totpRef.current?.focus();
  }, [totpNeeded]);

  if (session) return <Navigate to={target} replace />;

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setNotice(null);
    try {
      await login({ username: values.username.trim(), password: values.password, totpCode: values.totpCode?.trim() });
      navigate(target, { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setNotice({ type: 'error', text: String((e as Error)?.message ?? e) });
      } else if (e.code === 'TOTP_REQUIRED') {
        setTotpNeeded(true);
        setNotice({ type: 'info', text: t('login.totpHint') });
      } else if (e.code === 'TOTP_INVALID') {
        setTotpNeeded(true);
        form.setFieldValue('totpCode', '');
        setNotice({ type: 'error', text: e.message });
        totpRef.current?.focus();
      } else if (e.code === 'ACCOUNT_LOCKED') {
        const until = (e.details as { lockedUntil?: string } | null)?.lockedUntil;
        setNotice({ type: 'warning', text: until ? t('login.lockedUntil', { time: formatDateTime(until, lang) }) : e.message });
      } else {
        if (e.code === 'INVALID_CREDENTIALS') form.setFieldValue('password', '');
        setNotice({ type: 'error', text: e.message });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-top">
        <Brand />
        <LangSwitch />
      </div>
      <Card className="login-card" title={t('login.title')}>
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {t('app.tagline')}
        </Typography.Paragraph>
        {notice && (
          <Alert type={notice.type} title={notice.text} showIcon style={{ marginBottom: 16 }} data-testid="login-notice" />
        )}
        <Form<LoginForm> form={form} layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoCapitalize="none"
              autoFocus
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {totpNeeded && (
            <Form.Item
              name="totpCode"
              label={t('login.totp')}
              rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('login.totpInvalidFormat') }]}
            >
              <Input
                ref={totpRef}
                prefix={<SafetyOutlined />}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder={t('login.totpPlaceholder')}
                data-testid="login-totp"
              />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('login.footer')}
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
