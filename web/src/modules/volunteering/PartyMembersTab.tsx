import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Form, Input, Radio, Select, Table, Tag, Typography } from 'antd';
import { useLang } from '../../app/LangContext';
import { errorText, volunteeringApi, type PartyMember, type PartyMemberKind, type PersonHit } from './api';
import { PersonPicker } from './VolunteersPage';

const day = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10) : '—');

interface Values {
  personId: string;
  kind: PartyMemberKind;
  orgId?: string;
  workplace?: string;
}

/**
 * 双报到 (P2): whoever manages volunteers registers party members who live in the community — 在职党员
 * reporting to their home community, or 自管党员 — with their party organisation; registered members
 * see the community's help orders on their order board and may take them.
 */
export default function PartyMembersTab() {
  const { t } = useLang();
  const list = useQuery({ queryKey: ['vol', 'party-members'], queryFn: volunteeringApi.partyMembers });
  const items = list.data?.items ?? [];
  const inService = items.filter((m) => m.kind === 'in_service').length;
  return (
    <Flex vertical gap={12}>
      <RegisterForm />
      <Typography.Text type="secondary" data-testid="party-summary">
        {t('vol.partySummary', { n: items.length, s: inService })}
      </Typography.Text>
      <Table<PartyMember>
        rowKey="id"
        size="small"
        data-testid="party-list"
        loading={list.isLoading}
        dataSource={items}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 720 }}
        locale={{ emptyText: t('vol.partyEmpty') }}
        onRow={(m) => ({ 'data-testid': `party-${m.name}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('vol.name'), dataIndex: 'name' },
          {
            title: t('vol.partyKind'),
            dataIndex: 'kind',
            render: (k: PartyMemberKind) => (
              <Tag color={k === 'in_service' ? 'red' : 'volcano'} data-testid="party-kind">
                {t(`vol.partyKind.${k}`)}
              </Tag>
            ),
          },
          { title: t('vol.partyOrg'), dataIndex: 'orgName', render: (n: string | null) => n ?? '—' },
          { title: t('vol.workplace'), dataIndex: 'workplace', render: (w: string) => w || '—' },
          { title: t('vol.reportedOn'), dataIndex: 'reportedAt', render: (r: string | null, m) => day(r ?? m.registeredAt) },
          { title: t('vol.ordersTaken'), dataIndex: 'ordersTaken', align: 'right' },
          {
            title: t('vol.account'),
            dataIndex: 'hasAccount',
            render: (a: boolean) => <Tag color={a ? 'green' : 'default'}>{a ? t('vol.accountYes') : t('vol.accountNo')}</Tag>,
          },
        ]}
      />
    </Flex>
  );
}

function RegisterForm() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [person, setPerson] = useState<PersonHit>();
  const kind = Form.useWatch('kind', form);
  const orgs = useQuery({
    queryKey: ['vol', 'party-orgs', person?.communityCode],
    queryFn: () => volunteeringApi.partyOrgs(person!.communityCode),
    enabled: !!person,
  });
  const submit = async (v: Values) => {
    try {
      const r = await volunteeringApi.registerPartyMember({
        personId: v.personId,
        kind: v.kind,
        orgId: v.orgId,
        workplace: v.kind === 'in_service' ? v.workplace?.trim() : undefined,
      });
      message.success(t(v.kind === 'in_service' ? 'vol.partyReported' : 'vol.partyRegistered', { name: r.name }));
      form.resetFields();
      setPerson(undefined);
      void qc.invalidateQueries({ queryKey: ['vol', 'party-members'] });
    } catch (e) {
      const err = e as Error & { details?: { reason?: string } };
      message.error(err.details?.reason === 'already_registered' ? t('vol.partyAlready') : errorText(e));
    }
  };
  return (
    <Card size="small" title={t('vol.partyRegister')}>
      <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
        {t('vol.partyHint')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'in_service' }} data-testid="party-register">
        <Flex wrap gap={12}>
          <Form.Item name="personId" label={t('vol.partyPerson')} rules={[{ required: true, message: t('vol.findPerson') }]}>
            <PersonPicker
              testId="party-person"
              onPerson={(p) => {
                setPerson(p);
                form.setFieldValue('orgId', undefined);
              }}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('vol.partyKind')}>
            <Radio.Group data-testid="party-kind-input">
              <Radio.Button value="in_service">{t('vol.partyKind.in_service')}</Radio.Button>
              <Radio.Button value="self_managed">{t('vol.partyKind.self_managed')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          <Form.Item name="orgId" label={t('vol.partyOrg')}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              data-testid="party-org"
              disabled={!person}
              loading={orgs.isLoading && !!person}
              placeholder={person ? t('vol.partyOrgPick') : t('vol.partyOrgFirst')}
              options={(orgs.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }))}
              style={{ minWidth: 220 }}
            />
          </Form.Item>
          {kind === 'in_service' && (
            <Form.Item
              name="workplace"
              label={t('vol.workplace')}
              rules={[{ required: true, whitespace: true, message: t('vol.workplaceNeeded') }]}
            >
              <Input maxLength={60} placeholder={t('vol.workplaceHint')} data-testid="party-workplace" style={{ minWidth: 220 }} />
            </Form.Item>
          )}
        </Flex>
        <Button type="primary" htmlType="submit" data-testid="party-submit">
          {t('vol.partySubmit')}
        </Button>
      </Form>
    </Card>
  );
}
