import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Flex, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { homeCode, wfApi, yuan, type PayItem } from './api';

export default function PayPage() {
  const { t } = useLang();
  const { session } = useAuth();
  const district = homeCode(session?.roles ?? []).slice(0, 6);
  const qc = useQueryClient();
  const schemes = useQuery({ queryKey: ['wf', 'schemes', district], queryFn: () => wfApi.schemes(district), enabled: !!district });
  const workers = useQuery({ queryKey: ['wf', 'workers', {}], queryFn: () => wfApi.workers({}) });
  const runs = useQuery({ queryKey: ['wf', 'runs', district], queryFn: () => wfApi.runs(district), enabled: !!district });
  const [workerId, setWorkerId] = useState<string | undefined>();
  const [month, setMonth] = useState('2026-10');
  const [rulesText, setRulesText] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ name: string; items: PayItem[]; totalFen: number; ruleGrade: { reasons: string[] } } | null>(
    null,
  );
  const [problem, setProblem] = useState<string | null>(null);
  const scheme = schemes.data?.items.find((s) => s.code === schemes.data?.inUse);
  const gradeRunId = runs.data?.gradeRuns[0]?.id;
  const gradeRun = useQuery({
    queryKey: ['wf', 'graderun', gradeRunId],
    queryFn: () => wfApi.gradeRun(gradeRunId!),
    enabled: !!gradeRunId,
  });

  const compute = async (withDraft: boolean) => {
    if (!workerId) return;
    setProblem(null);
    try {
      const rules = withDraft && rulesText ? JSON.parse(rulesText) : undefined;
      setPreview(await wfApi.preview({ workerId, month, rules }));
    } catch (e) {
      setPreview(null);
      if (isApiError(e)) setProblem(`${e.message} ${JSON.stringify((e.details as { problems?: unknown })?.problems ?? '')}`);
      else setProblem(String(e));
    }
  };
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('wf.pay.scheme')}>
          {scheme && (
            <Descriptions size="small" column={1}>
              <Descriptions.Item label={t('wf.pay.scheme')}>{scheme.name}</Descriptions.Item>
              <Descriptions.Item label="">
                <Tag color="blue">{scheme.kind === 'four_level_six_step' ? '四级六档' : '三岗十八级'}</Tag>
                {t('wf.pay.version', { n: scheme.versionNo, month: scheme.effectiveFrom })}
              </Descriptions.Item>
            </Descriptions>
          )}
          <Typography.Text type="secondary">{t('wf.pay.rules')}</Typography.Text>
          <Input.TextArea
            rows={12}
            style={{ fontFamily: 'monospace', fontSize: 12 }}
            value={rulesText ?? (scheme ? JSON.stringify(scheme.rules, null, 1) : '')}
            onChange={(e) => setRulesText(e.target.value)}
            data-testid="wf-rules"
          />
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card size="small" title={t('wf.pay.preview')} data-testid="wf-pay-preview">
          <Flex gap={8} wrap style={{ marginBottom: 12 }}>
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={t('wf.pay.worker')}
              style={{ width: 220 }}
              value={workerId}
              onChange={setWorkerId}
              options={(workers.data ?? []).map((w) => ({ value: w.id, label: `${w.name}（${w.communityName}）` }))}
              data-testid="wf-pay-worker"
            />
            <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 150 }} />
            <Button type="primary" onClick={() => void compute(false)} disabled={!workerId} data-testid="wf-pay-compute">
              {t('wf.pay.compute')}
            </Button>
            <Button onClick={() => void compute(true)} disabled={!workerId || !rulesText}>
              {t('wf.pay.draftPreview')}
            </Button>
          </Flex>
          {problem && <Alert type="error" showIcon title={problem} />}
          {preview && (
            <>
              <Table
                rowKey="code"
                size="small"
                pagination={false}
                dataSource={preview.items}
                columns={[
                  { title: t('wf.pay.item'), dataIndex: 'label', key: 'l' },
                  { title: t('wf.pay.amount'), key: 'a', align: 'right', render: (_, i: PayItem) => yuan(i.amountFen) },
                  { title: t('wf.pay.explain'), dataIndex: 'explain', key: 'e' },
                ]}
                summary={() => (
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0}>
                      <b>{t('wf.pay.total')}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <b data-testid="wf-pay-total">{yuan(preview.totalFen)}</b>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2} />
                  </Table.Summary.Row>
                )}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {preview.ruleGrade.reasons.join('；')}
              </Typography.Paragraph>
            </>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card
          size="small"
          title={t('wf.pay.gradeRuns')}
          extra={
            gradeRun.data?.status === 'proposed' ? (
              <Button
                type="primary"
                size="small"
                onClick={() =>
                  void wfApi
                    .approveGradeRun(gradeRun.data!.id, gradeRun.data!.version)
                    .then(() => qc.invalidateQueries({ queryKey: ['wf'] }))
                }
              >
                {t('wf.pay.approve')}
              </Button>
            ) : (
              <Button
                size="small"
                onClick={() =>
                  void wfApi
                    .startGradeRun(district, (runs.data?.gradeRuns[0]?.year ?? 2026) + 1)
                    .then(() => qc.invalidateQueries({ queryKey: ['wf'] }))
                }
              >
                {t('wf.pay.runYear', { year: (runs.data?.gradeRuns[0]?.year ?? 2026) + 1 })}
              </Button>
            )
          }
        >
          {gradeRun.data && (
            <Table
              rowKey="workerId"
              size="small"
              dataSource={gradeRun.data.lines}
              pagination={{ pageSize: 8 }}
              scroll={{ x: 'max-content' }}
              columns={[
                { title: t('wf.name'), dataIndex: 'name', key: 'n' },
                { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
                { title: t('wf.pay.current'), dataIndex: 'current', key: 'cu', render: (v) => v ?? '—' },
                {
                  title: t('wf.pay.proposed'),
                  key: 'p',
                  render: (_, l) => <Tag color={l.proposed !== l.current ? 'green' : undefined}>{l.proposed}</Tag>,
                },
                {
                  title: t('wf.pay.reasons'),
                  key: 'r',
                  render: (_, l) => (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {l.reasons.slice(1).join('；')}
                    </Typography.Text>
                  ),
                },
              ]}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Card size="small" title={t('wf.pay.payRuns')}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={runs.data?.payRuns ?? []}
            columns={[
              { title: t('wf.pay.month'), dataIndex: 'month', key: 'm' },
              { title: t('wf.staffing.workers'), dataIndex: 'workerCount', key: 'w' },
              { title: t('wf.pay.total'), key: 't', align: 'right', render: (_, r) => yuan(r.totalFen) },
              {
                title: '',
                key: 'x',
                render: (_, r) => <Button size="small" icon={<DownloadOutlined />} onClick={() => void wfApi.exportPayRun(r.id)} />,
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
