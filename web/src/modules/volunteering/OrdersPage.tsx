import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Flex, Form, Input, Rate, Select, Statistic, Tabs, Tag, Typography } from 'antd';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';

// 海多多: the order board for volunteers and party members, "ask for help" and my orders for residents, my points and the shop.
interface Order {
  id: string;
  number: string;
  title: string;
  description: string;
  kindName: string;
  requesterName: string;
  communityName: string;
  state: string;
  stateName: string;
  takerName: string;
  rating: number | null;
  actions: string[];
  version: number;
}
const KINDS = [
  ['buy_medicine', '代买药品'],
  ['escort_medical', '陪同就医'],
  ['appliance_repair', '家电维修'],
  ['wish', '微心愿'],
  ['companion', '陪伴聊天'],
  ['other', '其他求助'],
] as const;

export default function OrdersPage() {
  const { t } = useLang();
  const { can } = useAuth();
  const items = [
    ...(can('order.take') ? [{ key: 'board', label: t('ord.board'), children: <OrderList mine={false} /> }] : []),
    { key: 'mine', label: t('ord.mine'), children: <OrderList mine /> },
    ...(can('service.apply') ? [{ key: 'post', label: t('ord.post'), children: <PostForm /> }] : []),
    ...(can('points.read') ? [{ key: 'points', label: t('ord.points'), children: <Points /> }] : []),
  ];
  return <Tabs data-testid="orders-tabs" items={items} destroyOnHidden />;
}

function OrderList({ mine }: { mine: boolean }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useQuery({
    queryKey: ['orders', mine],
    queryFn: () => api.get<{ items: Order[] }>('/api/orders', { mine: mine ? 'true' : undefined }),
  });
  const [rating, setRating] = useState(5);
  const act = async (o: Order, action: string) => {
    try {
      if (action === 'take') await api.post(`/api/orders/${o.id}/take`);
      else
        await api.post(`/api/orders/${o.id}/${action}`, {
          version: o.version,
          ...(action === 'confirm' ? { rating } : {}),
          ...(action === 'complete' ? { note: '已完成' } : {}),
        });
      void qc.invalidateQueries({ queryKey: ['orders'] });
      void qc.invalidateQueries({ queryKey: ['points'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  if (!list.data) return <Card loading />;
  if (!list.data.items.length) return <Empty description={t('ord.empty')} />;
  return (
    <Flex vertical gap={8} data-testid={mine ? 'my-orders' : 'order-board'}>
      {list.data.items.map((o) => (
        <Card key={o.id} size="small" data-testid={`order-${o.title}`}>
          <Flex justify="space-between" wrap gap={4}>
            <Typography.Text strong>{o.title}</Typography.Text>
            <span>
              <Tag color="magenta">{o.kindName}</Tag>
              <Tag color={o.state === 'open' ? 'blue' : o.state === 'confirmed' ? 'green' : 'gold'} data-testid="order-state">
                {o.stateName}
              </Tag>
            </span>
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {o.number} · {o.requesterName} · {o.communityName}
            {o.takerName && ` · ${t('ord.takenBy', { name: o.takerName })}`}
          </Typography.Text>
          {o.description && <div>{o.description}</div>}
          {o.actions.includes('confirm') && <Rate value={rating} onChange={setRating} />}
          <Flex gap={6} style={{ marginTop: 6 }}>
            {o.actions.map((a) => (
              <Button
                key={a}
                size="small"
                type={a === 'take' ? 'primary' : 'default'}
                data-testid={`order-${a}`}
                onClick={() => void act(o, a)}
              >
                {t(`ord.${a}` as 'ord.take')}
              </Button>
            ))}
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

function PostForm() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const submit = async (v: { kind: string; title: string; description?: string }) => {
    try {
      await api.post('/api/orders', { ...v, idempotencyKey: crypto.randomUUID() });
      message.success(t('ord.posted'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['orders'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'buy_medicine' }} data-testid="order-form">
      <Form.Item name="kind" label={t('ord.kind')}>
        <Select options={KINDS.map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="title" label={t('ord.title')} rules={[{ required: true, min: 2 }]}>
        <Input data-testid="order-title" />
      </Form.Item>
      <Form.Item name="description" label={t('ord.description')}>
        <Input.TextArea rows={3} data-testid="order-description" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block data-testid="order-submit">
        {t('ord.post')}
      </Button>
    </Form>
  );
}

function Points() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useQuery({
    queryKey: ['points', 'me'],
    queryFn: () =>
      api.get<{ balance: number; history: { seq: number; at: string; delta: number; reasonName: string }[] }>('/api/points/me'),
  });
  const shop = useQuery({
    queryKey: ['points', 'shop'],
    queryFn: () => api.get<{ items: { id: string; name: string; cost: number; stock: number }[] }>('/api/points/shop'),
  });
  const redeem = async (id: string) => {
    try {
      await api.post(`/api/points/shop/${id}/redeem`);
      void qc.invalidateQueries({ queryKey: ['points'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Statistic
          title={t('ord.balance')}
          value={me.data?.balance ?? 0}
          loading={me.isLoading}
          valueStyle={{ color: '#cf1322' }}
          data-testid="points-balance"
        />
        {(me.data?.history ?? []).slice(0, 8).map((h) => (
          <Flex key={h.seq} justify="space-between" style={{ fontSize: 12 }}>
            <span>
              {new Date(h.at).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' })} {h.reasonName}
            </span>
            <span style={{ color: h.delta > 0 ? '#389e0d' : '#cf1322' }}>{h.delta > 0 ? `+${h.delta}` : h.delta}</span>
          </Flex>
        ))}
      </Card>
      <Typography.Title level={5}>{t('ord.shop')}</Typography.Title>
      {(shop.data?.items ?? []).map((i) => (
        <Card key={i.id} size="small">
          <Flex justify="space-between" align="center">
            <span>
              {i.name} · {i.cost} 分 <Typography.Text type="secondary">{t('ord.stock', { n: i.stock })}</Typography.Text>
            </span>
            <Button size="small" disabled={(me.data?.balance ?? 0) < i.cost} onClick={() => void redeem(i.id)}>
              {t('ord.redeem')}
            </Button>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}
