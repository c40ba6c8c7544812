import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Flex, Form, Input, Select, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { errorText, volunteeringApi, todayCn, type Pair, type PersonHit } from './api';
import { PostsTab, ProjectsTab } from './ProjectsPosts';
import PartyMembersTab from './PartyMembersTab';
import PointsAdminTab from './PointsAdminTab';

/** 志愿服务: volunteers, 一帮一 pairs with the month-without-a-visit warning, projects with QR check-in, party posts, points. */
export default function VolunteersPage() {
  const { t } = useLang();
  const { can } = useAuth();
  const manage = can('volunteer.manage');
  const tabs = [
    ...(manage ? [{ key: 'volunteers', label: t('vol.volunteers'), children: <VolunteersTab /> }] : []),
    { key: 'pairs', label: t('vol.pairs'), children: <PairsTab /> },
    { key: 'projects', label: t('vol.projects'), children: <ProjectsTab /> },
    { key: 'posts', label: t('vol.posts'), children: <PostsTab /> },
    ...(manage ? [{ key: 'party', label: t('vol.party'), children: <PartyMembersTab /> }] : []),
    ...(can('points.manage') ? [{ key: 'points', label: t('pts.tab'), children: <PointsAdminTab /> }] : []),
  ];
  return <Tabs data-testid="volunteer-tabs" items={tabs} destroyOnHidden />;
}

/** Finds a resident of the worker's scope by name, pinyin initials or ID (the registry search). */
export function PersonPicker({
  value,
  onChange,
  onPerson,
  testId,
}: {
  value?: string;
  onChange?: (id: string) => void;
  onPerson?: (p: PersonHit | undefined) => void;
  testId: string;
}) {
  const { t } = useLang();
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const hits = useQuery({
    queryKey: ['vol', 'people', dq],
    queryFn: () => volunteeringApi.findPeople(dq),
    enabled: dq.trim().length >= 1,
  });
  return (
    <Select
      showSearch
      data-testid={testId}
      value={value}
      onChange={(id: string) => {
        onChange?.(id);
        onPerson?.(hits.data?.items.find((p) => p.id === id));
      }}
      filterOption={false}
      onSearch={setQ}
      placeholder={t('vol.findPerson')}
      notFoundContent={dq ? t('vol.noPerson') : null}
      options={(hits.data?.items ?? []).map((p) => ({
        value: p.id,
        label: `${p.name}${p.age != null ? `（${p.age}岁）` : ''} ${p.address ?? ''}`,
      }))}
      style={{ minWidth: 260 }}
    />
  );
}

function VolunteersTab() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['vol', 'volunteers'], queryFn: volunteeringApi.volunteers });
  const [form] = Form.useForm<{ personId: string; skills: string[] }>();
  const register = async (v: { personId: string; skills?: string[] }) => {
    try {
      const r = await volunteeringApi.register(v.personId, v.skills ?? []);
      message.success(t('vol.registered', { name: r.name }));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['vol'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Flex vertical gap={12}>
      <Card size="small" title={t('vol.register')}>
        <Form form={form} layout="inline" onFinish={register} data-testid="volunteer-register">
          <Form.Item name="personId" rules={[{ required: true, message: t('vol.findPerson') }]}>
            <PersonPicker testId="volunteer-person" />
          </Form.Item>
          <Form.Item name="skills">
            <Select mode="tags" placeholder={t('vol.skills')} style={{ minWidth: 200 }} data-testid="volunteer-skills" />
          </Form.Item>
          <Button type="primary" htmlType="submit" data-testid="volunteer-register-submit">
            {t('vol.registerSubmit')}
          </Button>
        </Form>
      </Card>
      <Table
        rowKey="id"
        size="small"
        data-testid="volunteer-list"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('vol.noVolunteers') }}
        columns={[
          { title: t('vol.name'), dataIndex: 'name' },
          { title: t('vol.skills'), dataIndex: 'skills', render: (s: string[]) => s.map((x) => <Tag key={x}>{x}</Tag>) },
          {
            title: t('vol.hours'),
            dataIndex: 'hours',
            align: 'right',
            sorter: (a, b) => a.hours - b.hours,
            render: (h: number) => t('vol.hoursN', { n: h }),
          },
          {
            title: t('vol.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'active' ? 'green' : 'default'}>{s === 'active' ? t('vol.active') : s}</Tag>,
          },
        ]}
      />
    </Flex>
  );
}

function PairsTab() {
  const { t } = useLang();
  const { can } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const pairs = useQuery({ queryKey: ['vol', 'pairs'], queryFn: volunteeringApi.pairs });
  const volunteers = useQuery({ queryKey: ['vol', 'volunteers'], queryFn: volunteeringApi.volunteers, enabled: can('volunteer.manage') });
  const [form] = Form.useForm<{ volunteerId: string; personId: string }>();
  const create = async (v: { volunteerId: string; personId: string }) => {
    try {
      await volunteeringApi.pair(v.volunteerId, v.personId);
      message.success(t('vol.paired'));
      form.resetFields();
      void qc.invalidateQueries({ queryKey: ['vol', 'pairs'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const items = pairs.data?.items ?? [];
  const overdue = items.filter((p) => p.needsVisit).length;
  return (
    <Flex vertical gap={12}>
      {can('volunteer.manage') && (
        <Card size="small" title={t('vol.newPair')}>
          <Form form={form} layout="inline" onFinish={create} data-testid="pair-form">
            <Form.Item name="volunteerId" rules={[{ required: true, message: t('vol.pickVolunteer') }]}>
              <Select
                data-testid="pair-volunteer"
                placeholder={t('vol.pickVolunteer')}
                style={{ minWidth: 160 }}
                options={(volunteers.data?.items ?? []).map((v) => ({ value: v.id, label: v.name }))}
              />
            </Form.Item>
            <Form.Item name="personId" rules={[{ required: true, message: t('vol.findPerson') }]}>
              <PersonPicker testId="pair-person" />
            </Form.Item>
            <Button type="primary" htmlType="submit" data-testid="pair-submit">
              {t('vol.pairSubmit')}
            </Button>
          </Form>
        </Card>
      )}
      {overdue > 0 && (
        <Typography.Text type="danger" data-testid="pairs-overdue">
          {t('vol.overdueCount', { n: overdue })}
        </Typography.Text>
      )}
      {pairs.data && !items.length && <Empty description={t('vol.noPairs')} />}
      {!pairs.data && <Card loading />}
      {items.map((p) => (
        <PairCard key={p.id} pair={p} />
      ))}
    </Flex>
  );
}

function PairCard({ pair }: { pair: Pair }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState(todayCn());
  const [note, setNote] = useState('');
  const save = async () => {
    try {
      await volunteeringApi.visit(pair.id, day, note);
      message.success(t('vol.visitLogged'));
      setOpen(false);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['vol', 'pairs'] });
    } catch (e) {
      message.error(errorText(e));
    }
  };
  return (
    <Card size="small" data-testid={`pair-${pair.personName}`}>
      <Flex justify="space-between" wrap gap={8} align="center">
        <div>
          <Typography.Text strong>
            {pair.volunteerName} → {pair.personName}
          </Typography.Text>{' '}
          {pair.personTags.map((x) => (
            <Tag key={x}>{x}</Tag>
          ))}
          <div>
            <Typography.Text type="secondary">
              {t('vol.since', { day: pair.startedOn })} · {t('vol.visits', { n: pair.visits })} ·{' '}
              {pair.lastVisit ? t('vol.lastVisit', { day: pair.lastVisit }) : t('vol.neverVisited')}
            </Typography.Text>
          </div>
        </div>
        <span>
          {pair.needsVisit ? (
            <Tag color="red" data-testid="pair-warning">
              {t('vol.needsVisit')}
            </Tag>
          ) : (
            <Tag color="green">{t('vol.visitedRecently')}</Tag>
          )}
          <Button size="small" onClick={() => setOpen(!open)} data-testid="pair-log">
            {t('vol.logVisit')}
          </Button>
        </span>
      </Flex>
      {open && (
        <Flex gap={8} wrap style={{ marginTop: 8 }}>
          <DatePicker value={dayjs(day)} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} allowClear={false} />
          <Input
            data-testid="visit-note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={t('vol.visitNote')}
            style={{ flex: 1, minWidth: 200 }}
          />
          <Button type="primary" onClick={save} disabled={note.trim().length < 2} data-testid="visit-submit">
            {t('common.save')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}
