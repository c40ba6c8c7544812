import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Segmented,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { DownloadOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { problemsOf, wfCare, type HealthCheckRow, type HealthStatus } from './api';

const STATUS_COLOR: Record<HealthStatus, string> = { done: 'success', due: 'processing', overdue: 'error' };
const STATUSES: HealthStatus[] = ['overdue', 'due', 'done'];

/**
 * Yearly health checks (年度体检, W6): every active worker under the caller's place with their last
 * check and whether this year's is done, due or overdue (the rule is the server's and is
 * explained above the list), the counts, a record-check action and the .xlsx export.
 */
export default function HealthChecksPanel({ code }: { code: string }) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const [shown, setShown] = useState<HealthStatus | 'all'>('all');
  const [q, setQ] = useState('');
  const [recording, setRecording] = useState<HealthCheckRow | null>(null);
  const [form] = Form.useForm<{ checkedOn: Dayjs; note?: string }>();
  const view = useQuery({ queryKey: ['wf', 'health', code, year], queryFn: () => wfCare.healthChecks(code, year), enabled: !!code });
  const h = view.data;
  const rows = (h?.items ?? []).filter((r) => (shown === 'all' || r.status === shown) && (!q || r.name.includes(q.trim())));

  const record = async (v: { checkedOn: Dayjs; note?: string }) => {
    if (!recording) return;
    try {
      await wfCare.applyCare(recording.workerId, {
        kind: 'health_check',
        year,
        checkedOn: v.checkedOn.format('YYYY-MM-DD'),
        ...(v.note?.trim() ? { reason: v.note.trim() } : {}),
      });
      message.success(t('wf.hc.recorded', { name: recording.name }));
      setRecording(null);
      void qc.invalidateQueries({ queryKey: ['wf', 'health'] });
    } catch (e) {
      const reason = problemsOf(e).checkedOn;
      if (reason) form.setFields([{ name: 'checkedOn', errors: [reason] }]);
      else message.error(isApiError(e) ? e.message : String(e));
    }
  };

  return (
    <Card
      size="small"
      title={t('wf.hc.title', { year })}
      data-testid="wf-hc-list"
      extra={
        <Flex gap={8}>
          <InputNumber
            value={year}
            min={2000}
            max={2100}
            onChange={(v) => v && setYear(v)}
            style={{ width: 90 }}
            data-testid="wf-hc-year"
          />
          <Button
            size="small"
            icon={<DownloadOutlined />}
            onClick={() => void wfCare.exportHealthChecks(code, year)}
            data-testid="wf-hc-export"
          >
            {t('wf.exportXlsx')}
          </Button>
        </Flex>
      }
    >
      {h && (
        <>
          <Row gutter={16} style={{ marginBottom: 8 }}>
            {STATUSES.map((s) => (
              <Col key={s} xs={8} md={4}>
                <Statistic
                  title={tc('wfHealth', s)}
                  value={h.counts[s]}
                  suffix={`/ ${h.total}`}
                  styles={{ content: { color: s === 'overdue' && h.counts[s] ? '#cf1322' : undefined } }}
                  data-testid={`wf-hc-count-${s}`}
                />
              </Col>
            ))}
          </Row>
          <Typography.Paragraph type="secondary">{t('wf.hc.rule', { month: h.byMonth })}</Typography.Paragraph>
        </>
      )}
      <Flex gap={8} wrap style={{ marginBottom: 8 }}>
        <Segmented
          value={shown}
          onChange={(v) => setShown(v as HealthStatus | 'all')}
          options={[{ value: 'all', label: t('wf.hc.all') }, ...STATUSES.map((s) => ({ value: s, label: tc('wfHealth', s) }))]}
        />
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder={t('wf.name')}
          style={{ width: 180 }}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="wf-hc-search"
        />
      </Flex>
      <Table
        rowKey="workerId"
        size="small"
        pagination={{ pageSize: 15 }}
        dataSource={rows}
        loading={view.isLoading}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
          { title: t('wf.name'), dataIndex: 'name', key: 'n' },
          {
            title: t('wf.cf.status'),
            key: 's',
            render: (_, r) => (
              <Tag color={STATUS_COLOR[r.status]} data-testid={`wf-hc-status-${r.name}`}>
                {tc('wfHealth', r.status)}
              </Tag>
            ),
          },
          {
            title: t('wf.hc.last'),
            key: 'l',
            render: (_, r) => r.lastCheckOn ?? <Typography.Text type="secondary">{t('wf.hc.never')}</Typography.Text>,
          },
          { title: t('wf.hc.dueBy'), key: 'd', render: (_, r) => r.dueBy ?? '—' },
          {
            title: '',
            key: 'a',
            render: (_, r) => (
              <Button size="small" onClick={() => setRecording(r)} data-testid={`wf-hc-record-${r.name}`}>
                {t('wf.hc.record')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={recording !== null}
        title={recording ? `${t('wf.hc.record')} · ${recording.name}` : ''}
        onCancel={() => setRecording(null)}
        onOk={() => form.submit()}
        destroyOnHidden
        okButtonProps={{ 'data-testid': 'wf-hc-ok' } as Record<string, string>}
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={(v) => void record(v)}
          initialValues={{ checkedOn: year === dayjs().year() ? dayjs() : dayjs(`${year}-12-31`) }}
        >
          <Form.Item name="checkedOn" label={t('wf.hc.checkedOn')} rules={[{ required: true }]}>
            <DatePicker data-testid="wf-hc-date" />
          </Form.Item>
          <Form.Item name="note" label={t('wf.hc.note')}>
            <Input maxLength={300} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
