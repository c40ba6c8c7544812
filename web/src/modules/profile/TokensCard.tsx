import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Form, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { showSuccess } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { useLang } from '../../app/LangContext';
import { profileApi, profileKeys, type ApiToken } from './api';

export function TokensCard() {
  const { t, lang } = useLang();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string }>();
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const tokens = useQuery({ queryKey: profileKeys.tokens, queryFn: profileApi.tokens });
  const reload = () => queryClient.invalidateQueries({ queryKey: profileKeys.tokens });

  const create = useMutation({
    mutationFn: (name: string) => profileApi.createToken(name),
    onSuccess: (created) => {
      setFresh({ name: created.name, token: created.token });
      form.resetFields();
      void reload();
    },
  });
  const remove = useMutation({
    mutationFn: (id: ApiToken['id']) => profileApi.deleteToken(id),
    onSuccess: () => {
      showSuccess(t('profile.tokenDeleted'));
      void reload();
    },
  });

  return (
    <Card size="small" title={t('profile.tokens')} data-testid="tokens-card">
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('profile.tokensHint')}
      </Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={(v) => create.mutate(v.name.trim())} style={{ marginBottom: 12, rowGap: 8 }}>
        <Form.Item name="name" rules={[{ required: true, whitespace: true, message: t('profile.tokenNameRequired') }]}>
          <Input placeholder={t('profile.tokenName')} maxLength={64} style={{ width: 220 }} data-testid="token-name" />
        </Form.Item>
        <Button htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} data-testid="token-create">
          {t('profile.tokenCreate')}
        </Button>
      </Form>
      {tokens.isError ? (
        <Alert type="error" showIcon title={tokens.error.message} />
      ) : (
        <Table<ApiToken>
          rowKey="id"
          size="small"
          loading={tokens.isPending}
          dataSource={tokens.data ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          locale={{
            emptyText: (
              <Empty description={t('profile.tokensEmpty')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
                <Typography.Text type="secondary">{t('profile.tokensEmptyHint')}</Typography.Text>
              </Empty>
            ),
          }}
          columns={[
            { title: t('profile.tokenName'), dataIndex: 'name', key: 'name' },
            {
              title: t('users.createdAt'),
              dataIndex: 'createdAt',
              key: 'createdAt',
              render: (v: string) => formatDateTime(v, lang),
            },
            {
              title: t('profile.tokenLastUsed'),
              dataIndex: 'lastUsedAt',
              key: 'lastUsedAt',
              render: (v: string | null) => (v ? formatDateTime(v, lang) : t('common.never')),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, tok: ApiToken) => (
                <Popconfirm
                  title={t('profile.tokenDeleteConfirm')}
                  onConfirm={() => remove.mutateAsync(tok.id)}
                  okButtonProps={{ danger: true }}
                >
                  <Button size="small" danger icon={<DeleteOutlined />}>
                    {t('common.delete')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <Modal
        open={!!fresh}
        title={t('profile.tokenCreated')}
        onCancel={() => setFresh(null)}
        footer={
          <Button type="primary" onClick={() => setFresh(null)}>
            {t('common.close')}
          </Button>
        }
      >
        <Flex vertical gap={12}>
          <Alert type="warning" showIcon title={t('profile.tokenShowOnce')} />
          <Typography.Text strong>{fresh?.name}</Typography.Text>
          <Typography.Paragraph copyable code className="mono" style={{ wordBreak: 'break-all' }} data-testid="token-value">
            {fresh?.token}
          </Typography.Paragraph>
        </Flex>
      </Modal>
    </Card>
  );
}
