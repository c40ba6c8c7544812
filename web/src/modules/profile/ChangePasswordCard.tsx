import { useMutation } from '@tanstack/react-query';
import { Button, Card, Form, Input } from 'antd';
import { useAuth } from '../../app/auth';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { profileApi } from './api';
import { passwordRule } from './passwordRule';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordCard() {
  const { t } = useLang();
  const { refresh } = useAuth();
  const [form] = Form.useForm<PasswordForm>();
  const change = useMutation({
    mutationFn: (v: PasswordForm) => profileApi.changePassword(v.currentPassword, v.newPassword),
    onSuccess: async () => {
      showSuccess(t('profile.passwordChanged'));
      form.resetFields();
      await refresh(); // clears mustChangePassword and may bring a new CSRF token
    },
  });

  return (
    <Card size="small" title={t('profile.changePassword')} data-testid="change-password">
      <Form<PasswordForm> form={form} layout="vertical" className="form-narrow" onFinish={(v) => change.mutate(v)}>
        <Form.Item
          name="currentPassword"
          label={t('profile.currentPassword')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('profile.newPassword')}
          rules={[passwordRule(t)]}
          extra={t('profile.passwordPolicy')}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('profile.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('profile.passwordMismatch') },
            ({ getFieldValue }) => ({
              validator: async (_r, value: string) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(t('profile.passwordMismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="pw-submit">
          {t('profile.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
