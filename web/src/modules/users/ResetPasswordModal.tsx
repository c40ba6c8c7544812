import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { passwordRule } from '../profile/passwordRule';
import { userApi, type AdminUser } from './api';

export function ResetPasswordModal({ user, onClose }: { user: AdminUser | null; onClose: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: (password: string) => userApi.resetPassword(user!.id, password),
    onSuccess: () => {
      showSuccess(t('users.resetDone'));
      form.resetFields();
      onClose();
    },
  });

  return (
    <Modal
      open={!!user}
      title={user ? `${t('users.resetPassword')} · ${user.displayName || user.username}` : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('users.resetPassword')}
      okButtonProps={{ danger: true }}
      confirmLoading={reset.isPending}
      forceRender
    >
      <Form form={form} layout="vertical" onFinish={(v) => reset.mutate(v.password)}>
        <Form.Item name="password" label={t('users.newPassword')} rules={[passwordRule(t)]} extra={t('profile.passwordPolicy')}>
          <Input.Password autoComplete="new-password" data-testid="reset-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
