import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Switch } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { passwordRule } from '../profile/passwordRule';
import { userApi, type NewUser } from './api';

export function CreateUserModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<NewUser>();
  const create = useMutation({
    mutationFn: (v: NewUser) => userApi.create({ ...v, username: v.username.trim(), displayName: v.displayName.trim() }),
    onSuccess: () => {
      showSuccess(t('users.created'));
      form.resetFields();
      onCreated();
      onClose();
    },
  });

  return (
    <Modal
      open={open}
      title={t('users.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      confirmLoading={create.isPending}
      forceRender
    >
      <Form<NewUser> form={form} layout="vertical" onFinish={(v) => create.mutate(v)} initialValues={{ totpRequired: false }}>
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameRule')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9._-]{3,32}$/, message: t('users.usernameRule') }]}
        >
          <Input autoComplete="off" autoCapitalize="none" data-testid="new-user-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }]}
        >
          <Input data-testid="new-user-displayName" />
        </Form.Item>
        <Form.Item name="password" label={t('users.password')} rules={[passwordRule(t)]} extra={t('profile.passwordPolicy')}>
          <Input.Password autoComplete="new-password" data-testid="new-user-password" />
        </Form.Item>
        <Form.Item name="totpRequired" label={t('users.totpRequired')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
