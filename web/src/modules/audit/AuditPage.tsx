import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { showSuccess } from '../../app/feedback';
import { formatDateTime } from '../../app/format';
import { useLang } from '../../app/LangContext';
import { AuditFilters } from './AuditFilters';
import { VerifyChain } from './VerifyChain';
import { auditApi, auditKeys, type AuditEntry, type AuditFilter } from './api';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OUTCOME_COLORS: Record<string, string> = { success: 'green', failure: 'red', denied: 'orange' };

function Details({ value }: { value: unknown }) {
  if (value == null || (typeof value === 'object' && Object.keys(value as object).length === 0)) return <>—</>;
  return (
    <pre className="mono" style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
      {typeof value === 'string' ? value : JSON.stringify(value, null, 2)}
    </pre>
  );
}

export default function AuditPage() {
  const { t, tc, lang } = useLang();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [paging, setPaging] = useState({ page: 1, pageSize: 50 });

  const list = useQuery({
    queryKey: auditKeys.list(filter, paging.page, paging.pageSize),
    queryFn: () => auditApi.list(filter, paging.page, paging.pageSize),
    placeholderData: keepPreviousData,
  });
  const exportCsv = useMutation({
    mutationFn: () => auditApi.exportCsv(filter),
    onSuccess: () => showSuccess(t('audit.exported')),
  });

  const columns: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.time'),
      dataIndex: 'at',
      key: 'at',
      render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v, lang)}</span>,
    },
    { title: t('audit.actor'), dataIndex: 'actorName', key: 'actor', render: (v: string | null) => v ?? '—' },
    { title: t('audit.action'), dataIndex: 'action', key: 'action', render: (v: string) => <span className="mono">{v}</span> },
    {
      title: t('audit.target'),
      key: 'target',
      render: (_, e) => {
        if (!e.targetType) return '—';
        const full = `${e.targetType}${e.targetId ? `:${e.targetId}` : ''}`;
        // a UUID tells people nothing at a glance: keep its head, the rest is in the tooltip and the export
        const id = e.targetId && UUID.test(e.targetId) ? `${e.targetId.slice(0, 8)}…` : e.targetId;
        return (
          <span className="mono" title={full}>
            {e.targetType}
            {id ? `:${id}` : ''}
          </span>
        );
      },
    },
    {
      title: t('audit.place'),
      key: 'place',
      render: (_, e) => <span className="mono">{e.placeCode ?? e.districtCode ?? '—'}</span>,
    },
    { title: t('audit.ip'), dataIndex: 'ip', key: 'ip', render: (v: string | null) => <span className="mono">{v ?? '—'}</span> },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      key: 'outcome',
      render: (v: string) => <Tag color={OUTCOME_COLORS[v] ?? 'default'}>{tc('outcome', v)}</Tag>,
    },
  ];

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={3} className="page-title" style={{ marginBottom: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <VerifyChain />
      </Flex>
      <Card size="small" style={{ marginBottom: 12 }}>
        <AuditFilters
          onChange={(f) => {
            setFilter(f);
            setPaging((p) => ({ ...p, page: 1 }));
          }}
        />
      </Card>
      <Card
        size="small"
        title={list.data ? t('common.total', { n: list.data.total }) : null}
        extra={
          <Button
            icon={<DownloadOutlined />}
            loading={exportCsv.isPending}
            onClick={() => exportCsv.mutate()}
            data-testid="audit-export"
          >
            {t('audit.export')}
          </Button>
        }
      >
        {list.isError ? (
          <Alert type="error" showIcon title={list.error.message} />
        ) : (
          <Table<AuditEntry>
            rowKey="id"
            size="small"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            columns={columns}
            scroll={{ x: 'max-content' }}
            expandable={{
              expandedRowRender: (e) => <Details value={e.details} />,
              rowExpandable: (e) => e.details != null,
            }}
            locale={{
              emptyText: (
                <Empty description={t('audit.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE}>
                  <Typography.Text type="secondary">{t('audit.emptyHint')}</Typography.Text>
                </Empty>
              ),
            }}
            pagination={{
              current: paging.page,
              pageSize: paging.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (n) => t('common.total', { n }),
              onChange: (page, pageSize) => setPaging({ page, pageSize }),
            }}
          />
        )}
      </Card>
    </>
  );
}
