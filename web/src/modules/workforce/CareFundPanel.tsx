import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useLang } from '../../app/LangContext';
import { wfCare, yuan, type CareApplication } from './api';
import { CareApplyModal, CareDecideModal } from './CareFundForms';

const STATUS_COLOR: Record<string, string> = { applied: 'processing', approved: 'success', rejected: 'error' };
const STATUSES = ['applied', 'approved', 'rejected'] as const;
const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }) : '');

/**
 * The care fund (关爱基金, W6): street or district HR applies on a worker's behalf; the district
 * (who holds workforce.pay) approves or refuses with a reason. Pending applications come first;
 * amounts in yuan; the list as .xlsx.
 */
export default function CareFundPanel({ code }: { code: string }) {
  const { t, tc } = useLang();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState<number | undefined>(thisYear);
  const [status, setStatus] = useState<string | undefined>();
  const [applying, setApplying] = useState(false);
  const [deciding, setDeciding] = useState<CareApplication | null>(null);
  const filter = { year, status };
  const list = useQuery({ queryKey: ['wf', 'carefund', code, filter], queryFn: () => wfCare.careFund(code, filter), enabled: !!code });
  const pending = (list.data ?? []).filter((i) => i.status === 'applied').length;

  return (
    <Card
      size="small"
      title={t('wf.cf.title')}
      data-testid="wf-cf-list"
      extra={
        <Flex gap={8} wrap>
          <Select
            allowClear
            placeholder={t('wf.aw.allYears')}
            value={year}
            onChange={setYear}
            style={{ width: 110 }}
            options={Array.from({ length: 6 }, (_, i) => thisYear - i).map((y) => ({ value: y, label: String(y) }))}
          />
          <Select
            allowClear
            placeholder={t('wf.cf.allStatus')}
            value={status}
            onChange={setStatus}
            style={{ width: 130 }}
            options={STATUSES.map((s) => ({ value: s, label: tc('wfCareStatus', s) }))}
            data-testid="wf-cf-status"
          />
          <Button
            size="small"
            icon={<DownloadOutlined />}
            onClick={() => void wfCare.exportCareFund(code, filter)}
            data-testid="wf-cf-export"
          >
            {t('wf.exportXlsx')}
          </Button>
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setApplying(true)} data-testid="wf-cf-apply">
            {t('wf.cf.apply')}
          </Button>
        </Flex>
      }
    >
      {pending > 0 && <Typography.Paragraph type="warning">{t('wf.cf.pending', { n: pending })}</Typography.Paragraph>}
      <Table
        rowKey="id"
        size="small"
        pagination={{ pageSize: 10 }}
        dataSource={list.data ?? []}
        loading={list.isLoading}
        locale={{ emptyText: t('wf.cf.none') }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('wf.cf.appliedOn'), key: 'at', render: (_, r) => day(r.appliedAt) },
          { title: t('wf.name'), dataIndex: 'name', key: 'n' },
          { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
          { title: t('wf.hr.year'), dataIndex: 'year', key: 'y' },
          { title: t('wf.cf.amount'), key: 'a', align: 'right', render: (_, r) => yuan(r.amountFen) },
          { title: t('wf.cf.reason'), dataIndex: 'reason', key: 'r', ellipsis: true, width: 220 },
          {
            title: t('wf.cf.status'),
            key: 's',
            render: (_, r) => (
              <Tag color={STATUS_COLOR[r.status]} data-testid={`wf-cf-status-${r.name}`}>
                {tc('wfCareStatus', r.status)}
              </Tag>
            ),
          },
          {
            title: t('wf.cf.decision'),
            key: 'd',
            render: (_, r) =>
              r.canDecide ? (
                <Button size="small" type="primary" onClick={() => setDeciding(r)} data-testid={`wf-cf-decide-${r.name}`}>
                  {t('wf.cf.decide')}
                </Button>
              ) : r.decidedBy ? (
                <span>
                  {r.decidedBy} {day(r.decidedAt)}
                  {r.decisionNote && <Typography.Text type="secondary">：{r.decisionNote}</Typography.Text>}
                </span>
              ) : null,
          },
        ]}
      />
      <CareApplyModal open={applying} onClose={() => setApplying(false)} />
      <CareDecideModal item={deciding} onClose={() => setDeciding(null)} />
    </Card>
  );
}
