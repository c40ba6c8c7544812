import { useEffect } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Divider, Drawer, Form, Grid, Input, Switch, Typography } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { userApi, type AdminUser } from './api';
import { RolesEditor } from './RolesEditor';

interface EditForm {
  displayName: string;
  totpRequired: boolean;
}

export function EditUserDrawer({
  user,
  onClose,
  onChanged,
}: {
  user: AdminUser | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useLang();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<EditForm>();

  // reload the form when another user is opened or the record's version moves on
  useEffect(() => {
    if (user) form.setFieldsValue({ displayName: user.displayName, totpRequired: user.totpRequired });
  }, [user?.id, user?.version]);

  const save = useMutation({
    mutationFn: (v: EditForm) =>
      userApi.patch(user!.id, { displayName: v.displayName.trim(), totpRequired: v.totpRequired, version: user!.version }),
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onChanged();
    },
  });

  return (
    <Drawer
      open={!!user}
      onClose={onClose}
      size={screens.sm ? 480 : '100%'}
      title={user ? t('users.editTitle', { name: user.displayName || user.username }) : ''}
    >
      {user && (
        <>
          <Typography.Paragraph type="secondary" className="mono">
            {user.username}
          </Typography.Paragraph>
          <Form<EditForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
            <Form.Item
              name="displayName"
              label={t('users.displayName')}
              rules={[{ required: true, whitespace: true, message: t('users.displayNameRequired') }]}
            >
              <Input data-testid="edit-user-displayName" />
            </Form.Item>
            <Form.Item name="totpRequired" label={t('users.totpRequired')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="edit-user-save">
              {t('common.save')}
            </Button>
          </Form>
          <Divider />
          <Typography.Title level={5}>{t('users.rolesTitle')}</Typography.Title>
          <RolesEditor user={user} onChanged={onChanged} />
        </>
      )}
    </Drawer>
  );
}
