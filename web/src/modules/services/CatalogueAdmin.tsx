import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Collapse, Flex, Form, Input, InputNumber, Select, Switch, Table, Tag, Typography } from 'antd';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { ItemEditDialog, type EditableItem } from './ItemEditDialog';

interface AdminItem extends EditableItem {
  categoryName: string;
  givesCertificate: boolean;
  communities: string[];
}
interface DistrictCatalogue {
  district: { code: string; name: string };
  categories: { id: string; name: string; items: AdminItem[] }[];
}
interface Node {
  code: string;
  name: string;
}

/**
 * 事项清单管理: the district's catalogue (categories and items) and, for the community picked
 * (street → community), which items are published there — one switch per item.
 */
export function CatalogueAdminTab() {
  const { t } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const district =
    (session?.roles ?? [])
      .map((r) => r.scopeCode ?? '')
      .find((c) => c.length >= 6)
      ?.slice(0, 6) ?? '';
  const cat = useQuery({
    queryKey: ['services', 'district-catalogue', district],
    queryFn: () => api.get<DistrictCatalogue>(`/api/services/districts/${district}/catalogue`),
    enabled: !!district,
  });
  const [street, setStreet] = useState<string>();
  const [community, setCommunity] = useState<string>();
  const [editing, setEditing] = useState<AdminItem | null>(null);
  const streets = useQuery({
    queryKey: ['territory', 'children', district],
    queryFn: () => api.get<{ items: Node[] }>(`/api/territory/${district}/children`),
    enabled: !!district,
  });
  const communities = useQuery({
    queryKey: ['territory', 'children', street],
    queryFn: () => api.get<{ items: Node[] }>(`/api/territory/${street}/children`),
    enabled: !!street,
  });
  const publish = async (item: AdminItem, published: boolean) => {
    if (!community) return;
    try {
      await api.put(`/api/services/items/${item.id}/communities/${community}`, { published });
      void qc.invalidateQueries({ queryKey: ['services'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  if (!cat.data) return <Card loading />;
  const total = cat.data.categories.reduce((s, c) => s + c.items.length, 0);
  return (
    <Flex vertical gap={12} data-testid="catalogue-admin">
      <Typography.Text>
        {t('cat.summary', { name: cat.data.district.name, categories: cat.data.categories.length, items: total })}
      </Typography.Text>
      <Flex gap={8} wrap align="center">
        <Typography.Text>{t('cat.publishIn')}</Typography.Text>
        <Select
          data-testid="catalogue-street"
          showSearch
          optionFilterProp="label"
          placeholder={t('cat.street')}
          style={{ minWidth: 160 }}
          value={street}
          onChange={(v) => (setStreet(v), setCommunity(undefined))}
          options={(streets.data?.items ?? []).map((n) => ({ value: n.code, label: n.name }))}
        />
        <Select
          data-testid="catalogue-community"
          showSearch
          optionFilterProp="label"
          placeholder={t('cat.community')}
          style={{ minWidth: 160 }}
          value={community}
          onChange={setCommunity}
          disabled={!street}
          options={(communities.data?.items ?? []).map((n) => ({ value: n.code, label: n.name }))}
        />
      </Flex>
      <NewItem district={district} categories={cat.data.categories.map((c) => c.name)} />
      <ItemEditDialog item={editing} onClose={() => setEditing(null)} />
      <Collapse
        defaultActiveKey={[cat.data.categories[0]?.id]}
        items={cat.data.categories.map((c) => ({
          key: c.id,
          label: `${c.name}（${c.items.length}）`,
          children: (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={c.items}
              columns={[
                {
                  title: t('cat.item'),
                  dataIndex: 'name',
                  render: (n: string, it) => (
                    <span data-testid={`admin-item-${n}`}>
                      {n}
                      {!it.active && <Tag>{t('cat.inactive')}</Tag>}
                    </span>
                  ),
                },
                { title: t('cat.limit'), dataIndex: 'timeLimitDays', render: (d: number) => t('svc.timeLimit', { days: d }) },
                { title: t('cat.materials'), dataIndex: 'materials', render: (m: AdminItem['materials']) => m.length },
                {
                  title: t('cat.flags'),
                  render: (_, it) => (
                    <>
                      {it.givesCertificate && <Tag color="purple">{t('svc.givesCert')}</Tag>}
                      {it.homeVisit && <Tag color="cyan">{t('svc.homeVisit')}</Tag>}
                    </>
                  ),
                },
                { title: t('cat.published'), dataIndex: 'communities', render: (cs: string[]) => t('cat.inCommunities', { n: cs.length }) },
                {
                  title: '',
                  render: (_, it) => (
                    <Button size="small" type="link" onClick={() => setEditing(it)} data-testid={`edit-${it.name}`}>
                      {t('edit.button')}
                    </Button>
                  ),
                },
                {
                  title: community ? t('cat.here') : t('cat.pickCommunity'),
                  render: (_, it) => (
                    <Switch
                      data-testid={`publish-${it.name}`}
                      disabled={!community}
                      checked={!!community && it.communities.includes(community)}
                      onChange={(v) => publish(it, v)}
                    />
                  ),
                },
              ]}
            />
          ),
        }))}
      />
    </Flex>
  );
}

function NewItem({ district, categories }: { district: string; categories: string[] }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const submit = async (v: { categoryName: string[]; name: string; eligibility: string; materials?: string[]; timeLimitDays: number }) => {
    try {
      await api.post('/api/services/items', {
        districtCode: district,
        categoryName: v.categoryName[0],
        name: v.name,
        eligibility: v.eligibility,
        materials: (v.materials ?? []).map((name) => ({ name, required: true })),
        timeLimitDays: v.timeLimitDays,
      });
      message.success(t('cat.added', { name: v.name }));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['services', 'district-catalogue'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Card size="small" title={t('cat.newItem')}>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ timeLimitDays: 5 }} data-testid="catalogue-new">
        <Form.Item name="categoryName" rules={[{ required: true, message: t('cat.category') }]}>
          <Select
            mode="tags"
            maxCount={1}
            placeholder={t('cat.category')}
            style={{ minWidth: 150 }}
            options={categories.map((c) => ({ value: c, label: c }))}
          />
        </Form.Item>
        <Form.Item name="name" rules={[{ required: true, min: 2 }]}>
          <Input placeholder={t('cat.item')} />
        </Form.Item>
        <Form.Item name="eligibility" rules={[{ required: true, min: 2 }]}>
          <Input placeholder={t('svc.eligibility')} />
        </Form.Item>
        <Form.Item name="materials">
          <Select mode="tags" placeholder={t('cat.materialsHint')} style={{ minWidth: 200 }} />
        </Form.Item>
        <Form.Item name="timeLimitDays" label={t('cat.limit')}>
          <InputNumber min={0} max={60} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('cat.add')}
        </Button>
      </Form>
    </Card>
  );
}
