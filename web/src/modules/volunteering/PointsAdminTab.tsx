import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, InputNumber, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useLang } from '../../app/LangContext';
import { errorText, pointsApi, type LedgerReport, type PointsReason, type PointsRules, type ShopItem } from './api';
import { useMyCommunity } from './ProjectsPosts';
import { PersonPicker } from './VolunteersPage';

const REASONS: PointsReason[] = ['help_order', 'volunteer_hour', 'participation'];

/**
 * 积分管理 for the community's managers: how many points each kind of contribution earns here,
 * the points shop (add, restock, take off the shelf), participation points for a resident, and a
 * check of the ledger's hash chain. Every movement of points is a ledger entry (P3).
 */
export default function PointsAdminTab() {
  const { t } = useLang();
  const community = useMyCommunity();
  if (!community) return <Empty description={t('pts.noCommunity')} />;
  return (
    <Flex vertical gap={12} data-testid="points-admin">
      <Typography.Text type="secondary">{t('pts.intro', { name: community.name })}</Typography.Text>
      <RulesCard communityCode={community.code} />
      <ShopCard communityCode={community.code} />
      <AwardCard />
      <LedgerCard districtCode={community.code.slice(0, 6)} />
    </Flex>
  );
}

function RulesCard({ communityCode }: { communityCode: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<PointsRules>();
  const [saving, setSaving] = useState(false);
  const rules = useQuery({ queryKey: ['points', 'rules', communityCode], queryFn: () => pointsApi.rules(communityCode) });
  useEffect(() => {
    if (rules.data) form.setFieldsValue(rules.data.rules);
  }, [rules.data, form]);
  const save = async (v: PointsRules) => {
    setSaving(true);
    try {
      const r = await pointsApi.setRules(communityCode, v);
      qc.setQueryData(['points', 'rules', communityCode], r);
      message.success(t('pts.rulesSaved'));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t('pts.rules')} loading={rules.isLoading}>
      {rules.error && <Alert type="error" showIcon title={rules.error.message} />}
      <Form form={form} layout="inline" onFinish={(v) => void save(v)} data-testid="points-rules">
        {REASONS.map((r) => (
          <Form.Item key={r} name={r} label={t(`pts.reason.${r}`)} rules={[{ required: true }]}>
            <InputNumber min={0} max={1000} precision={0} addonAfter={t(`pts.perUnit.${r}`)} data-testid={`points-rule-${r}`} />
          </Form.Item>
        ))}
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="points-rules-save">
            {t('pts.save')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0, fontSize: 12 }}>
        {t('pts.rulesHint')}
      </Typography.Paragraph>
    </Card>
  );
}

function ShopCard({ communityCode }: { communityCode: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ name: string; cost: number; stock: number }>();
  const [restock, setRestock] = useState<Record<string, number | null>>({});
  const shop = useQuery({ queryKey: ['points', 'shop', communityCode], queryFn: () => pointsApi.shop(communityCode) });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['points'] });
  const run = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(done);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      refresh();
    }
  };
  const columns: ColumnsType<ShopItem> = [
    { title: t('pts.item'), dataIndex: 'name', render: (n: string, i) => (i.active ? n : <Typography.Text type="secondary">{n}</Typography.Text>) },
    { title: t('pts.cost'), dataIndex: 'cost', width: 80, align: 'right' },
    {
      title: t('pts.stock'),
      dataIndex: 'stock',
      width: 90,
      align: 'right',
      render: (n: number) => (n === 0 ? <Tag color="orange">{t('pts.soldOut')}</Tag> : n),
    },
    {
      title: t('pts.shelf'),
      key: 'active',
      width: 90,
      render: (_, i) => <Tag color={i.active ? 'green' : 'default'}>{i.active ? t('pts.onShelf') : t('pts.offShelf')}</Tag>,
    },
    {
      title: t('pts.actions'),
      key: 'act',
      render: (_, i) => (
        <Space wrap data-testid={`shop-${i.name}`}>
          <Space.Compact>
            <InputNumber
              min={0}
              max={100000}
              precision={0}
              placeholder={String(i.stock)}
              value={restock[i.id] ?? null}
              onChange={(v) => setRestock({ ...restock, [i.id]: v })}
              style={{ width: 90 }}
              data-testid="shop-stock-input"
            />
            <Button
              disabled={restock[i.id] == null}
              data-testid="shop-restock"
              onClick={() =>
                void run(async () => {
                  await pointsApi.updateItem(i.id, { version: i.version, stock: restock[i.id]! });
                  setRestock({ ...restock, [i.id]: null });
                }, t('pts.restocked', { name: i.name }))
              }
            >
              {t('pts.setStock')}
            </Button>
          </Space.Compact>
          <Button
            data-testid="shop-toggle"
            onClick={() =>
              void run(
                () => pointsApi.updateItem(i.id, { version: i.version, active: !i.active }),
                i.active ? t('pts.takenOff', { name: i.name }) : t('pts.putOn', { name: i.name }),
              )
            }
          >
            {i.active ? t('pts.takeOff') : t('pts.putBack')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Card size="small" title={t('pts.shop')}>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        data-testid="shop-add"
        onFinish={(v) =>
          void run(async () => {
            await pointsApi.addItem({ communityCode, ...v });
            form.resetFields();
          }, t('pts.added', { name: v.name }))
        }
      >
        <Form.Item name="name" rules={[{ required: true, min: 2, max: 40 }]}>
          <Input placeholder={t('pts.itemName')} data-testid="shop-add-name" />
        </Form.Item>
        <Form.Item name="cost" rules={[{ required: true }]}>
          <InputNumber min={1} precision={0} placeholder={t('pts.cost')} data-testid="shop-add-cost" />
        </Form.Item>
        <Form.Item name="stock" rules={[{ required: true }]}>
          <InputNumber min={0} precision={0} placeholder={t('pts.stock')} data-testid="shop-add-stock" />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" data-testid="shop-add-submit">
            {t('pts.add')}
          </Button>
        </Form.Item>
      </Form>
      <Table
        rowKey="id"
        size="small"
        loading={shop.isFetching}
        dataSource={shop.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: true }}
        data-testid="shop-list"
      />
    </Card>
  );
}

function AwardCard() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ personId: string; activity: string; times: number }>();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const award = async (v: { personId: string; activity: string; times: number }) => {
    setBusy(true);
    try {
      const r = await pointsApi.award(v);
      message.success(t('pts.awarded', { name, delta: r.delta, balance: r.balance }));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['points'] });
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('pts.award')}>
      <Form form={form} layout="inline" initialValues={{ times: 1 }} onFinish={(v) => void award(v)} style={{ rowGap: 8 }}>
        <Form.Item name="personId" rules={[{ required: true, message: t('vol.findPerson') }]}>
          <PersonPicker testId="award-person" onPerson={(p) => setName(p?.name ?? '')} />
        </Form.Item>
        <Form.Item name="activity" rules={[{ required: true, min: 2, max: 60 }]}>
          <Input placeholder={t('pts.activity')} data-testid="award-activity" />
        </Form.Item>
        <Form.Item name="times" label={t('pts.times')}>
          <InputNumber min={1} max={20} precision={0} data-testid="award-times" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="award-submit">
            {t('pts.awardSubmit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function LedgerCard({ districtCode }: { districtCode: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const [report, setReport] = useState<LedgerReport | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    try {
      setReport(await pointsApi.verify(districtCode));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const broken = report?.districts.find((d) => !d.ok);
  return (
    <Card size="small" title={t('pts.ledger')}>
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('pts.ledgerHint')}</Typography.Text>
        <div>
          <Button onClick={() => void check()} loading={busy} data-testid="ledger-verify">
            {t('pts.verify')}
          </Button>
        </div>
        {report && (
          <Alert
            data-testid="ledger-result"
            showIcon
            type={report.ok ? 'success' : 'error'}
            title={
              report.ok
                ? t('pts.ledgerOk', { n: report.checked })
                : t('pts.ledgerBroken', { seq: broken?.brokenAt ?? '?', reason: broken?.reason ?? '' })
            }
          />
        )}
      </Flex>
    </Card>
  );
}
