import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Form, Input, InputNumber, Popconfirm, Select, Table, Typography } from 'antd';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { servicesApi, type CertList, type CertListEntry as Entry, type CertType } from './api';

interface Node {
  code: string;
  name: string;
}

/**
 * 证明盖章事项清单 per community: what it may certify and on which legal basis. The district
 * (service.configure) adds and removes types; community workers read it, with the departments that
 * verify everything else, so a resident asked for an unlisted certificate is sent to the right place.
 */
export function CertificateListTab() {
  const { t } = useLang();
  const { can, session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const manage = can('service.configure');
  const district =
    (session?.roles ?? [])
      .map((r) => r.scopeCode ?? '')
      .find((c) => c.length >= 6)
      ?.slice(0, 6) ?? '';
  const own = useQuery({ queryKey: ['services', 'catalogue'], queryFn: servicesApi.catalogue, enabled: !manage });
  const [street, setStreet] = useState<string>();
  const [picked, setPicked] = useState<string>();
  const streets = useQuery({
    queryKey: ['territory', 'children', district],
    queryFn: () => api.get<{ items: Node[] }>(`/api/territory/${district}/children`),
    enabled: manage && !!district,
  });
  const communities = useQuery({
    queryKey: ['territory', 'children', street],
    queryFn: () => api.get<{ items: Node[] }>(`/api/territory/${street}/children`),
    enabled: !!street,
  });
  const community = manage ? picked : own.data?.community.code;
  const types = useQuery({ queryKey: ['certificates', 'types'], queryFn: () => api.get<{ items: CertType[] }>('/api/certificates/types') });
  const list = useQuery({
    queryKey: ['certificates', 'list', community],
    queryFn: () => api.get<CertList>(`/api/certificates/lists/${community}`),
    enabled: !!community,
  });
  const [form] = Form.useForm<{ typeKey: string; legalBasis: string; validityDays: number }>();
  const listed = new Set((list.data?.entries ?? []).map((e) => e.typeKey));
  const issuable = (types.data?.items ?? []).filter((x) => x.communityMayIssue && !listed.has(x.key));
  const elsewhere = (types.data?.items ?? []).filter((x) => !x.communityMayIssue);
  const refresh = (d: CertList) => qc.setQueryData(['certificates', 'list', community], d);

  const add = async (v: { typeKey: string; legalBasis: string; validityDays: number }) => {
    try {
      refresh(await api.post<CertList>(`/api/certificates/lists/${community}`, v));
      message.success(t('clist.added'));
      form.resetFields();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const remove = async (e: Entry) => {
    try {
      refresh(await api.delete<CertList>(`/api/certificates/lists/${community}/${e.id}`));
      message.success(t('clist.removed'));
    } catch (err) {
      message.error((err as Error).message);
    }
  };

  return (
    <Flex vertical gap={12} data-testid="certificate-list">
      {manage ? (
        <Flex gap={8} wrap>
          <Select
            data-testid="clist-street"
            showSearch
            optionFilterProp="label"
            placeholder={t('cat.street')}
            style={{ minWidth: 160 }}
            value={street}
            onChange={(v) => (setStreet(v), setPicked(undefined))}
            options={(streets.data?.items ?? []).map((n) => ({ value: n.code, label: n.name }))}
          />
          <Select
            data-testid="clist-community"
            showSearch
            optionFilterProp="label"
            placeholder={t('cat.community')}
            style={{ minWidth: 160 }}
            value={picked}
            onChange={setPicked}
            disabled={!street}
            options={(communities.data?.items ?? []).map((n) => ({ value: n.code, label: n.name }))}
          />
        </Flex>
      ) : (
        <Alert type="info" showIcon message={t('clist.readOnly')} />
      )}
      {list.data && (
        <Card size="small" title={`${list.data.community.name} · ${t('clist.tab')}`}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={list.data.entries}
            columns={[
              {
                title: t('clist.name'),
                dataIndex: 'name',
                width: 180,
                render: (n: string) => <span data-testid={`clist-entry-${n}`}>{n}</span>,
              },
              { title: t('clist.basis'), dataIndex: 'legalBasis' },
              { title: t('clist.validity'), dataIndex: 'validityDays', width: 90 },
              ...(manage
                ? [
                    {
                      title: '',
                      width: 90,
                      render: (_: unknown, e: Entry) => (
                        <Popconfirm title={t('clist.removeConfirm')} onConfirm={() => remove(e)}>
                          <Button size="small" danger type="link" data-testid={`clist-remove-${e.name}`}>
                            {t('clist.remove')}
                          </Button>
                        </Popconfirm>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {manage && issuable.length > 0 && (
            <Form
              form={form}
              layout="inline"
              onFinish={add}
              initialValues={{ validityDays: 90 }}
              style={{ marginTop: 12, rowGap: 8 }}
              data-testid="clist-add"
            >
              <Form.Item name="typeKey" rules={[{ required: true, message: t('clist.type') }]}>
                <Select
                  data-testid="clist-type"
                  placeholder={t('clist.type')}
                  style={{ minWidth: 180 }}
                  options={issuable.map((x) => ({ value: x.key, label: x.name }))}
                  onChange={(k: string) => form.setFieldValue('legalBasis', issuable.find((x) => x.key === k)?.legalBasis ?? '')}
                />
              </Form.Item>
              <Form.Item name="legalBasis" rules={[{ required: true, min: 4, message: t('clist.basis') }]} style={{ flex: '1 1 320px' }}>
                <Input placeholder={t('clist.basis')} data-testid="clist-basis" />
              </Form.Item>
              <Form.Item name="validityDays" label={t('clist.validity')}>
                <InputNumber min={1} max={3650} />
              </Form.Item>
              <Button type="primary" htmlType="submit" data-testid="clist-submit">
                {t('clist.add')}
              </Button>
            </Form>
          )}
        </Card>
      )}
      <Card size="small" title={t('clist.notCommunity')}>
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={elsewhere}
          columns={[
            { title: t('clist.name'), dataIndex: 'name', width: 180 },
            { title: t('clist.verifiedBy'), dataIndex: 'verifiedBy' },
            {
              title: t('clist.reason'),
              dataIndex: 'reason',
              render: (r: string) => <Typography.Text type="secondary">{r}</Typography.Text>,
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
