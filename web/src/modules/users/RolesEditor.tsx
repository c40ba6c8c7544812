import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Empty, Flex, Form, Popconfirm, Radio, Select, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { userApi, userKeys, type AdminUser, type RoleDef } from './api';
import { FALLBACK_CATALOGUE } from './roles';
import { RoleTag } from './RoleTag';
import { OrgScopePicker, TerritoryScopePicker } from './ScopePicker';

interface AddRoleForm {
  role?: string;
  scopeType?: 'territory' | 'org';
  scopeCode?: string;
}

export function RolesEditor({ user, onChanged }: { user: AdminUser; onChanged: () => void }) {
  const { t, tc, lang } = useLang();
  const [form] = Form.useForm<AddRoleForm>();
  const catalogue = useQuery({ queryKey: userKeys.roles, queryFn: userApi.roleCatalogue, staleTime: Infinity, retry: false });
  const roles: RoleDef[] = catalogue.data ?? (catalogue.isError ? FALLBACK_CATALOGUE : []);
  // tracked in state rather than Form.useWatch, which can miss a resetFields()
  const [roleKey, setRoleKey] = useState<string>();
  const [scopeType, setScopeType] = useState<AddRoleForm['scopeType']>();
  const def = roles.find((r) => r.key === roleKey);
  const scopeTypes = (def?.binds ?? []).filter((b): b is 'territory' | 'org' => b !== 'global');
  const global = !!def && scopeTypes.length === 0;
  const roleLabel = (r: RoleDef) => {
    const known = tc('role', r.key);
    return known !== r.key ? known : lang === 'zh' ? r.zh : r.en;
  };

  const add = useMutation({
    mutationFn: (v: AddRoleForm) => userApi.addRole(user.id, v.role!, global ? '' : (v.scopeCode ?? '')),
    onSuccess: () => {
      showSuccess(t('users.roleAdded'));
      form.resetFields();
      setRoleKey(undefined);
      setScopeType(undefined);
      onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: (roleId: string | number) => userApi.removeRole(user.id, roleId),
    onSuccess: () => {
      showSuccess(t('users.roleRemoved'));
      onChanged();
    },
  });

  return (
    <Flex vertical gap={12}>
      {user.roles.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('users.noRoles')} />
      ) : (
        <Flex vertical gap={6} data-testid="user-roles">
          {user.roles.map((r) => (
            <Flex key={r.id} align="center" justify="space-between" gap={8}>
              <RoleTag binding={r} />
              <Popconfirm
                title={t('users.removeRoleConfirm')}
                onConfirm={() => remove.mutateAsync(r.id)}
                okButtonProps={{ danger: true }}
              >
                <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
              </Popconfirm>
            </Flex>
          ))}
        </Flex>
      )}

      <Typography.Text strong>{t('users.addRole')}</Typography.Text>
      <Form<AddRoleForm>
        form={form}
        layout="vertical"
        onFinish={(v) => add.mutate(v)}
        onValuesChange={(changed: Partial<AddRoleForm>) => {
          if ('role' in changed) {
            // the first place this role may be bound to, and a fresh scope
            const binds = roles.find((r) => r.key === changed.role)?.binds.filter((b) => b !== 'global') ?? [];
            const first = binds[0] as AddRoleForm['scopeType'];
            form.setFieldsValue({ scopeType: first, scopeCode: undefined });
            setRoleKey(changed.role);
            setScopeType(first);
          }
          if (changed.scopeType) {
            form.setFieldValue('scopeCode', undefined);
            setScopeType(changed.scopeType);
          }
        }}
      >
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true, message: t('users.roleRequired') }]}>
          <Select
            loading={catalogue.isPending}
            options={roles.map((r) => ({ value: r.key, label: roleLabel(r) }))}
            data-testid="role-select"
          />
        </Form.Item>
        {global && <Typography.Paragraph type="secondary">{t('users.scopeGlobalHint')}</Typography.Paragraph>}
        {!global && scopeTypes.length > 1 && (
          <Form.Item name="scopeType" label={t('users.scopeType')}>
            <Radio.Group
              optionType="button"
              options={scopeTypes.map((s) => ({ value: s, label: t(s === 'org' ? 'users.scopeOrg' : 'users.scopeTerritory') }))}
            />
          </Form.Item>
        )}
        {!global && def && (
          <Form.Item
            name="scopeCode"
            label={t('users.scope')}
            extra={
              scopeType !== 'org' && def.levels.length > 0
                ? t('users.scopeLevels', { levels: def.levels.map((l) => tc('level', l)).join(t('common.listSep')) })
                : undefined
            }
            rules={[{ required: true, whitespace: true, message: t('users.scopeRequired') }]}
          >
            {scopeType === 'org' ? <OrgScopePicker /> : <TerritoryScopePicker key={roleKey ?? ''} levels={def.levels} />}
          </Form.Item>
        )}
        <Button htmlType="submit" icon={<PlusOutlined />} loading={add.isPending} data-testid="role-add">
          {t('users.addRole')}
        </Button>
      </Form>
    </Flex>
  );
}
