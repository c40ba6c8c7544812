import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Grid, Input, Modal, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { MessageKey } from '../../app/i18n';
import { useLang } from '../../app/LangContext';
import { servicesApi, type CertState, type IssuedCertificate } from './api';

const STATE_COLORS: Record<CertState, string> = { valid: 'green', revoked: 'red', expired: 'default' };
const PAGE_SIZE = 10;

/**
 * 出具登记: the certificates a community has issued, newest first, holders masked, each in the
 * state it is in today. A wrong one is revoked with a reason; its verification then says so.
 */
export function CertificateRegister({ communityCode }: { communityCode: string }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const wide = !!Grid.useBreakpoint().md;
  const [state, setState] = useState<CertState>();
  const [page, setPage] = useState(1);
  const [revoking, setRevoking] = useState<IssuedCertificate | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const list = useQuery({
    queryKey: ['services', 'issued', communityCode, state, page],
    queryFn: () => servicesApi.issued({ communityCode, state, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const date = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
  const stateTag = (c: IssuedCertificate) => (
    <Tag color={STATE_COLORS[c.state]} data-testid="issued-state">
      {t(`cissue.state.${c.state}` as MessageKey)}
    </Tag>
  );

  const [exporting, setExporting] = useState(false);
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await servicesApi.exportIssued({ communityCode, state });
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setBusy(true);
    try {
      await servicesApi.revokeCertificate(revoking.id, reason.trim(), revoking.version);
      message.success(t('cissue.revoked', { number: revoking.number }));
      setRevoking(null);
      setReason('');
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: ['services', 'issued'] });
      void qc.invalidateQueries({ queryKey: ['services', 'certificates'] });
    }
  };

  const columns: ColumnsType<IssuedCertificate> = [
    {
      title: t('cissue.colCert'),
      key: 'cert',
      render: (_, c) => (
        <div>
          <Typography.Text strong>{c.typeName}</Typography.Text>
          {c.fromApplication && <Tag style={{ marginInlineStart: 6 }}>{t('cissue.fromApplication')}</Tag>}
          <div style={{ fontSize: 12 }}>{c.number}</div>
          {!wide && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {c.personMasked} · {date(c.issuedAt)}
            </Typography.Text>
          )}
          {c.revokeReason && (
            <Typography.Text type="danger" style={{ display: 'block', fontSize: 12 }}>
              {c.revokeReason}
            </Typography.Text>
          )}
        </div>
      ),
    },
    ...(wide
      ? [
          {
            title: t('cissue.colPerson'),
            key: 'person',
            render: (_: unknown, c: IssuedCertificate) => (
              <div>
                {c.personMasked}
                <div style={{ fontSize: 12, color: '#888' }}>{c.idMasked}</div>
              </div>
            ),
          },
          { title: t('cissue.colDate'), key: 'date', width: 110, render: (_: unknown, c: IssuedCertificate) => date(c.issuedAt) },
        ]
      : []),
    { title: t('cissue.colState'), key: 'state', width: 80, render: (_, c) => stateTag(c) },
    {
      title: '',
      key: 'actions',
      width: wide ? 140 : 64,
      render: (_, c) => (
        <Flex gap={4} vertical={!wide}>
          <a href={`/api/certificates/${c.id}/pdf`} target="_blank" rel="noreferrer">
            PDF
          </a>
          {c.state !== 'revoked' && (
            <Button
              size="small"
              danger
              type="link"
              style={{ padding: 0 }}
              data-testid="issued-revoke"
              onClick={() => (setRevoking(c), setReason(''))}
            >
              {t('cissue.revoke')}
            </Button>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('cissue.register')}
      extra={
        <Flex gap={8}>
          <Select
            data-testid="issued-state-filter"
            allowClear
            placeholder={t('cissue.allStates')}
            style={{ width: 120 }}
            value={state}
            onChange={(v?: CertState) => (setState(v), setPage(1))}
            options={(['valid', 'revoked', 'expired'] as const).map((s) => ({ value: s, label: t(`cissue.state.${s}`) }))}
          />
          <Button data-testid="issued-export" loading={exporting} onClick={() => void exportXlsx()}>
            {t('cissue.export')}
          </Button>
        </Flex>
      }
    >
      {list.error && <Alert type="error" showIcon title={list.error.message} />}
      <Table
        data-testid="issued-list"
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        locale={{ emptyText: t('cissue.empty') }}
        onRow={(c) => ({ 'data-testid': `issued-${c.number}` }) as React.HTMLAttributes<HTMLElement>}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showTotal: (n) => t('cissue.count', { n }),
          simple: !wide,
        }}
      />
      <Modal
        open={!!revoking}
        title={revoking ? t('cissue.revokeTitle', { number: revoking.number }) : ''}
        onCancel={() => setRevoking(null)}
        onOk={() => void revoke()}
        okText={t('cissue.revoke')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2, loading: busy, ...{ 'data-testid': 'revoke-submit' } }}
      >
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('cissue.revokeHint')}</Typography.Text>
          <Input.TextArea
            data-testid="revoke-reason"
            rows={3}
            maxLength={200}
            placeholder={t('cissue.revokeReason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Flex>
      </Modal>
    </Card>
  );
}
