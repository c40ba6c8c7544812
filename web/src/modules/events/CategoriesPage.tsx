import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Radio, Select, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, isApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import { showError } from '../../app/feedback';

interface AdminCategory {
  code: string;
  parentCode: string | null;
  name: string;
  closingLevel: 'grid' | 'community' | 'street';
  acceptHours: number;
  respondHours: number;
  handleDays: number;
  departments: string[];
  photoRequired: boolean;
  anonymousAllowed: boolean;
  autoEscalate: boolean;
  active: boolean;
  version: number;
  children?: AdminCategory[];
}
interface Tree {
  items: AdminCategory[];
  departments: { key: string; name: string }[];
}
type FormValues = Omit<AdminCategory, 'version' | 'active' | 'departments' | 'children'> & { lead?: string; assist?: string[] };

const LEVELS = ['grid', 'community', 'street'] as const;

/** The category editor (事件分类管理): the tree, time limits per stage, departments (one lead), rules. */
export default function CategoriesPage() {
  const { t, tc } = useLang();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<AdminCategory | 'new' | null>(null);
  // Every branch open unless folded by hand (the tree loads after the table mounts).
  const [folded, setFolded] = useState<Set<string>>(new Set());
  const [form] = Form.useForm<FormValues>();
  const tree = useQuery({ queryKey: ['event-categories-admin'], queryFn: () => api.get<Tree>('/api/events/categories/admin') });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['event-categories-admin'] });
  const depts = tree.data?.departments ?? [];
  const deptName = (k: string) => depts.find((d) => d.key === k)?.name ?? k;
  const roots = (tree.data?.items ?? [])
    .filter((c) => !c.parentCode)
    .map((c) => {
      const children = (tree.data?.items ?? []).filter((x) => x.parentCode === c.code);
      return children.length ? { ...c, children } : c;
    });

  const open = (c: AdminCategory | 'new') => {
    setEditing(c);
    form.resetFields();
    if (c === 'new') form.setFieldsValue({ closingLevel: 'grid', acceptHours: 4, respondHours: 8, handleDays: 3, autoEscalate: true });
    else form.setFieldsValue({ ...c, lead: c.departments[0], assist: c.departments.slice(1) });
  };
  const save = async () => {
    const v = await form.validateFields();
    const departments = v.lead ? [v.lead, ...(v.assist ?? []).filter((k) => k !== v.lead)] : [];
    const rules = {
      name: v.name,
      closingLevel: v.closingLevel,
      acceptHours: v.acceptHours,
      respondHours: v.respondHours,
      handleDays: v.handleDays,
      departments,
      photoRequired: !!v.photoRequired,
      anonymousAllowed: !!v.anonymousAllowed,
      autoEscalate: !!v.autoEscalate,
    };
    try {
      if (editing === 'new') await api.post('/api/events/categories', { ...rules, code: v.code, parentCode: v.parentCode || null });
      else if (editing) await api.patch(`/api/events/categories/${editing.code}`, { ...rules, version: editing.version });
      setEditing(null);
      refresh();
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    }
  };
  const toggle = async (c: AdminCategory) => {
    try {
      await api.patch(`/api/events/categories/${c.code}`, { version: c.version, active: !c.active });
      refresh();
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    }
  };

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={3} className="page-title" style={{ margin: 0 }}>
          {t('cat.title')}
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="category-new">
          {t('cat.new')}
        </Button>
      </Flex>
      <Typography.Text type="secondary">{t('cat.hint')}</Typography.Text>
      <Table<AdminCategory>
        rowKey="code"
        size="small"
        loading={tree.isLoading}
        dataSource={roots}
        pagination={false}
        expandable={{
          expandedRowKeys: roots.filter((c) => !folded.has(c.code)).map((c) => c.code),
          onExpand: (open, c) =>
            setFolded((f) => {
              const next = new Set(f);
              if (open) next.delete(c.code);
              else next.add(c.code);
              return next;
            }),
        }}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('cat.name'),
            render: (_, c) => (
              <span style={{ opacity: c.active ? 1 : 0.5 }}>
                {c.name} <Typography.Text type="secondary">{c.code}</Typography.Text>
              </span>
            ),
          },
          { title: t('cat.closingLevel'), render: (_, c) => tc('events.levelName', c.closingLevel) },
          { title: t('cat.limits'), render: (_, c) => t('cat.limitsValue', { a: c.acceptHours, r: c.respondHours, h: c.handleDays }) },
          {
            title: t('cat.departments'),
            render: (_, c) =>
              c.departments.map((k, i) => (
                <Tag key={k} color={i === 0 ? 'blue' : undefined}>
                  {i === 0 ? `${t('cat.lead')} ` : ''}
                  {deptName(k)}
                </Tag>
              )),
          },
          {
            title: t('cat.rules'),
            render: (_, c) => (
              <>
                {c.photoRequired && <Tag>{t('cat.photoRequired')}</Tag>}
                {c.anonymousAllowed && <Tag>{t('cat.anonymousAllowed')}</Tag>}
                {c.autoEscalate && <Tag>{t('cat.autoEscalate')}</Tag>}
              </>
            ),
          },
          {
            title: t('cat.active'),
            render: (_, c) => (
              <Switch size="small" checked={c.active} onChange={() => void toggle(c)} data-testid={`category-active-${c.code}`} />
            ),
          },
          {
            title: '',
            render: (_, c) => (
              <Button size="small" onClick={() => open(c)} data-testid={`category-edit-${c.code}`}>
                {t('cat.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing === 'new' ? t('cat.new') : t('cat.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okButtonProps={{ 'data-testid': 'category-save' } as never}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" size="small">
          {editing === 'new' && (
            <Flex gap={8}>
              <Form.Item name="code" label={t('cat.code')} rules={[{ required: true, pattern: /^[a-z0-9_.-]{2,40}$/ }]} style={{ flex: 1 }}>
                <Input data-testid="category-code" />
              </Form.Item>
              <Form.Item name="parentCode" label={t('cat.parent')} style={{ flex: 1 }}>
                <Select
                  allowClear
                  options={(tree.data?.items ?? []).filter((c) => !c.parentCode).map((c) => ({ value: c.code, label: c.name }))}
                  data-testid="category-parent"
                />
              </Form.Item>
            </Flex>
          )}
          <Form.Item name="name" label={t('cat.name')} rules={[{ required: true, min: 2, max: 40 }]}>
            <Input data-testid="category-name" />
          </Form.Item>
          <Form.Item name="closingLevel" label={t('cat.closingLevel')}>
            <Radio.Group options={LEVELS.map((l) => ({ value: l, label: tc('events.levelName', l) }))} />
          </Form.Item>
          <Flex gap={8}>
            <Form.Item name="acceptHours" label={t('cat.acceptHours')} rules={[{ required: true }]}>
              <InputNumber min={1} max={240} data-testid="category-accept" />
            </Form.Item>
            <Form.Item name="respondHours" label={t('cat.respondHours')} rules={[{ required: true }]}>
              <InputNumber min={1} max={240} />
            </Form.Item>
            <Form.Item name="handleDays" label={t('cat.handleDays')} rules={[{ required: true }]}>
              <InputNumber min={1} max={90} data-testid="category-handle" />
            </Form.Item>
          </Flex>
          <Form.Item name="lead" label={t('cat.lead')}>
            <Select allowClear options={depts.map((d) => ({ value: d.key, label: d.name }))} data-testid="category-lead" />
          </Form.Item>
          <Form.Item name="assist" label={t('cat.assist')}>
            <Select mode="multiple" options={depts.map((d) => ({ value: d.key, label: d.name }))} />
          </Form.Item>
          <Flex gap={16} wrap>
            <Form.Item name="photoRequired" valuePropName="checked" noStyle>
              <Checkbox data-testid="category-photo">{t('cat.photoRequired')}</Checkbox>
            </Form.Item>
            <Form.Item name="anonymousAllowed" valuePropName="checked" noStyle>
              <Checkbox>{t('cat.anonymousAllowed')}</Checkbox>
            </Form.Item>
            <Form.Item name="autoEscalate" valuePropName="checked" noStyle>
              <Checkbox>{t('cat.autoEscalate')}</Checkbox>
            </Form.Item>
          </Flex>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('cat.deadlineNote')}
          </Typography.Paragraph>
        </Form>
      </Modal>
    </Flex>
  );
}
