import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Grid,
  Input,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { EditOutlined, KeyOutlined, PlusOutlined, SearchOutlined, UnlockOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { showSuccess } from '../../app/feedback';
import { formatDateTime, isFuture } from '../../app/format';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { userApi, userKeys, type AdminUser } from './api';
import { CreateUserModal } from './CreateUserModal';
import { EditUserDrawer } from './EditUserDrawer';
import { ResetPasswordModal } from './ResetPasswordModal';
import { RoleTag } from './RoleTag';

export default function UsersPage() {
  const { t, lang } = useLang();
  const { can } = useAuth();
  // a pinned action column would cover the whole table on a phone
  const pinActions = !!Grid.useBreakpoint().md;
  const writable = can('user.write');
  const queryClient = useQueryClient();
  const [searchText, setSearchText] = useState('');
  const q = useDebounced(searchText.trim(), 300);
  const [paging, setPaging] = useState({ page: 1, pageSize: 20 });
  const query = { q, ...paging };
  // a new search starts from the first page
  useEffect(() => setPaging((p) => (p.page === 1 ? p : { ...p, page: 1 })), [q]);
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<AdminUser['id'] | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);

  const users = useQuery({
    queryKey: userKeys.list(query),
    queryFn: () => userApi.list(query),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: userKeys.all });
  const editing = users.data?.items.find((u) => u.id === editingId) ?? null;

  const unlock = useMutation({
    mutationFn: (u: AdminUser) => userApi.unlock(u.id),
    onSuccess: () => {
      showSuccess(t('common.saved'));
      void refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (u: AdminUser) => userApi.patch(u.id, { disabled: !u.disabled, version: u.version }),
    onSuccess: () => {
      showSuccess(t('common.saved'));
      void refresh();
    },
  });

  const columns: TableColumnsType<AdminUser> = [
    {
      title: t('users.username'),
      dataIndex: 'username',
      key: 'username',
      render: (v: string) => <span className="mono">{v}</span>,
    },
    { title: t('users.displayName'), dataIndex: 'displayName', key: 'displayName' },
    {
      title: t('users.roles'),
      key: 'roles',
      render: (_, u) =>
        u.roles.length ? (
          <Flex wrap gap={4} style={{ maxWidth: 420 }}>
            {u.roles.map((r) => (
              <RoleTag key={r.id} binding={r} />
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">{t('users.noRoles')}</Typography.Text>
        ),
    },
    {
      title: t('users.status'),
      key: 'status',
      render: (_, u) => (
        <Flex wrap gap={4}>
          {u.disabled ? <Tag>{t('users.disabled')}</Tag> : <Tag color="green">{t('users.active')}</Tag>}
          {u.mustChangePassword && <Tag color="gold">{t('users.mustChange')}</Tag>}
          {isFuture(u.lockedUntil) && (
            <Tag color="orange" title={t('users.lockedUntil', { time: formatDateTime(u.lockedUntil, lang) })}>
              {t('users.locked')}
            </Tag>
          )}
        </Flex>
      ),
    },
    {
      title: t('users.totp'),
      key: 'totp',
      render: (_, u) => (
        <Flex wrap gap={4}>
          {u.totpEnabled ? <Tag color="blue">{t('users.totpOn')}</Tag> : <Tag>{t('users.totpOff')}</Tag>}
          {u.totpRequired && <Tag color="purple">{t('users.totpRequiredTag')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('users.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (v: string) => formatDateTime(v, lang),
    },
  ];

  if (writable) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: pinActions ? 'right' : undefined,
      render: (_, u) => (
        <Space size={4} wrap>
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditingId(u.id)} data-testid={`user-edit-${u.username}`}>
            {t('common.edit')}
          </Button>
          {u.mustChangePassword && <Tag color="gold">{t('users.mustChange')}</Tag>}
          {isFuture(u.lockedUntil) && (
            <Popconfirm title={t('users.unlockConfirm')} onConfirm={() => unlock.mutateAsync(u)}>
              <Button size="small" icon={<UnlockOutlined />}>
                {t('users.unlock')}
              </Button>
            </Popconfirm>
          )}
          <Button size="small" icon={<KeyOutlined />} onClick={() => setResetting(u)}>
            {t('users.resetPassword')}
          </Button>
          {u.disabled ? (
            <Button size="small" onClick={() => toggle.mutate(u)}>
              {t('users.enable')}
            </Button>
          ) : (
            <Popconfirm
              title={t('users.disableConfirm')}
              onConfirm={() => toggle.mutateAsync(u)}
              okButtonProps={{ danger: true }}
            >
              <Button size="small" danger>
                {t('users.disable')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <Typography.Title level={3} className="page-title">
        {t('users.title')}
      </Typography.Title>
      <Card size="small">
        <Flex wrap gap={8} justify="space-between" style={{ marginBottom: 12 }}>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('users.searchPlaceholder')}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            style={{ flex: '1 1 220px', maxWidth: 320 }}
            data-testid="users-search"
          />
          {writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('users.create')}
            </Button>
          )}
        </Flex>
        {users.isError ? (
          <Alert type="error" showIcon title={users.error.message} />
        ) : (
          <Table<AdminUser>
            rowKey="id"
            size="small"
            loading={users.isFetching}
            dataSource={users.data?.items ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            locale={{
              emptyText: (
                <Empty description={t('users.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
                  <Typography.Text type="secondary">{t('users.emptyHint')}</Typography.Text>
                </Empty>
              ),
            }}
            pagination={{
              current: query.page,
              pageSize: query.pageSize,
              total: users.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (n) => t('common.total', { n }),
              onChange: (page, pageSize) => setPaging({ page, pageSize }),
            }}
          />
        )}
      </Card>
      <CreateUserModal open={creating} onClose={() => setCreating(false)} onCreated={() => void refresh()} />
      <EditUserDrawer user={editing} onClose={() => setEditingId(null)} onChanged={() => void refresh()} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
    </>
  );
}
