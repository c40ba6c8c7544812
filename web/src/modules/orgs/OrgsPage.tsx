import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Grid, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { Link } from 'react-router-dom';
import { EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { ORG_KINDS, ORG_KIND_COLORS, orgApi, orgKeys, toOrgTree, type OrgTreeRow } from './api';
import { CreateOrgModal } from './CreateOrgModal';
import { EditOrgModal } from './EditOrgModal';

export default function OrgsPage() {
  const { t, tc } = useLang();
  const { can } = useAuth();
  const writable = can('org.write');
  // a pinned action column would cover the whole table on a phone
  const pinActions = !!Grid.useBreakpoint().md;
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [kind, setKind] = useState<string | undefined>();
  const [codeText, setCodeText] = useState('');
  const territoryCode = useDebounced(codeText.trim(), 400) || undefined;
  const filter = { kind, territoryCode };
  const orgs = useQuery({ queryKey: orgKeys.list(filter), queryFn: () => orgApi.list(filter) });
  const rows = orgs.data ? toOrgTree(orgs.data) : [];
  // looked up in the fresh list, so a reload after a version conflict edits the current record
  const editing = orgs.data?.find((o) => String(o.id) === editingId) ?? null;
  const refresh = () => void queryClient.invalidateQueries({ queryKey: orgKeys.all });
  // party organisations have their own levels (党工委 › 大党委 › 党支部 › 党小组); others follow the territory
  const levelLabel = (v: string) => {
    const party = tc('orgLevel', v);
    return party !== v ? party : tc('level', v);
  };

  const columns: TableColumnsType<OrgTreeRow> = [
    { title: t('orgs.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('orgs.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: string) => <Tag color={ORG_KIND_COLORS[k]}>{tc('orgKind', k)}</Tag>,
    },
    {
      title: t('orgs.level'),
      dataIndex: 'level',
      key: 'level',
      render: (v: string | number | null) => (v == null ? '—' : levelLabel(String(v))),
    },
    {
      title: t('orgs.territory'),
      key: 'territory',
      render: (_: unknown, o: OrgTreeRow) =>
        o.territoryCode ? (
          can('territory.read') ? (
            <Link to={`/territory/${o.territoryCode}`}>{o.territoryName || o.territoryCode}</Link>
          ) : (
            o.territoryName || o.territoryCode
          )
        ) : (
          '—'
        ),
    },
    {
      title: t('orgs.contact'),
      dataIndex: 'contactName',
      key: 'contact',
      render: (v: string | null | undefined) => v || '—',
    },
  ];
  if (writable) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      fixed: pinActions ? 'right' : undefined,
      render: (_: unknown, o: OrgTreeRow) => (
        <Button size="small" icon={<EditOutlined />} onClick={() => setEditingId(String(o.id))} data-testid={`org-edit-${o.id}`}>
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <>
      <Typography.Title level={3} className="page-title">
        {t('orgs.title')}
      </Typography.Title>
      <Card size="small">
        <Flex wrap gap={8} style={{ marginBottom: 12 }}>
          <Select
            allowClear
            placeholder={t('orgs.allKinds')}
            value={kind}
            onChange={setKind}
            style={{ minWidth: 180, flex: '1 1 180px', maxWidth: 260 }}
            options={ORG_KINDS.map((k) => ({ value: k, label: tc('orgKind', k) }))}
            data-testid="orgs-kind"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('orgs.territoryFilter')}
            value={codeText}
            onChange={(e) => setCodeText(e.target.value)}
            style={{ flex: '1 1 200px', maxWidth: 300 }}
            inputMode="numeric"
            data-testid="orgs-territory"
          />
          {writable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setCreating(true)}
              style={{ marginInlineStart: 'auto' }}
              data-testid="org-create"
            >
              {t('orgs.create')}
            </Button>
          )}
        </Flex>
        {orgs.isError ? (
          <Alert type="error" showIcon title={orgs.error.message} />
        ) : (
          <Table<OrgTreeRow>
            key={`${kind}-${territoryCode}-${orgs.dataUpdatedAt}`}
            size="small"
            loading={orgs.isPending}
            dataSource={rows}
            pagination={false}
            scroll={{ x: 'max-content' }}
            expandable={{ defaultExpandAllRows: true }}
            locale={{
              emptyText: (
                <Empty description={t('orgs.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
                  <Typography.Text type="secondary">{t('orgs.emptyHint')}</Typography.Text>
                </Empty>
              ),
            }}
            columns={columns}
          />
        )}
      </Card>
      {writable && <CreateOrgModal open={creating} onClose={() => setCreating(false)} onCreated={refresh} />}
      {writable && <EditOrgModal org={editing} onClose={() => setEditingId(null)} onSaved={refresh} />}
    </>
  );
}
