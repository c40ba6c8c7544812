import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useLang } from '../../app/LangContext';
import { wfApi, yuan } from './api';
import { wfExports } from './exports';

/** The yearly grade run (自然晋升) to review and approve, and the months paid (W4). */
export default function PayRuns({ district }: { district: string }) {
  const { t, tc } = useLang();
  const qc = useQueryClient();
  const runs = useQuery({ queryKey: ['wf', 'runs', district], queryFn: () => wfApi.runs(district), enabled: !!district });
  const gradeRunId = runs.data?.gradeRuns[0]?.id;
  const gradeRun = useQuery({
    queryKey: ['wf', 'graderun', gradeRunId],
    queryFn: () => wfApi.gradeRun(gradeRunId!),
    enabled: !!gradeRunId,
  });
  return (
    <>
      <Col xs={24} lg={14}>
        <Card
          size="small"
          title={
            gradeRun.data
              ? `${t('wf.pay.gradeRuns')} · ${gradeRun.data.year} · ${tc('wfRunStatus', gradeRun.data.status)}`
              : t('wf.pay.gradeRuns')
          }
          extra={
            <Space size={4} wrap>
              {gradeRun.data && (
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={() => void wfExports.gradeRun(gradeRun.data!.id)}
                  data-testid="wf-grade-run-export"
                >
                  {t('wf.exportXlsx')}
                </Button>
              )}
              {gradeRun.data?.status === 'proposed' ? (
                <Button
                  type="primary"
                  size="small"
                  onClick={() =>
                    void wfApi
                      .approveGradeRun(gradeRun.data!.id, gradeRun.data!.version)
                      .then(() => qc.invalidateQueries({ queryKey: ['wf'] }))
                  }
                  data-testid="wf-grade-run-approve"
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
                  data-testid="wf-grade-run-start"
                >
                  {t('wf.pay.runYear', { year: (runs.data?.gradeRuns[0]?.year ?? 2026) + 1 })}
                </Button>
              )}
            </Space>
          }
        >
          {gradeRun.data && (
            <Table
              rowKey="workerId"
              size="small"
              dataSource={gradeRun.data.lines}
              pagination={{ pageSize: 8 }}
              scroll={{ x: 'max-content' }}
              data-testid="wf-grade-run"
              columns={[
                { title: t('wf.name'), dataIndex: 'name', key: 'n' },
                { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
                { title: t('wf.pay.current'), dataIndex: 'current', key: 'cu', render: (v) => v ?? '—' },
                {
                  title: t('wf.pay.proposed'),
                  key: 'p',
                  render: (_, l) => (
                    <Tag color={l.proposed !== l.current ? 'green' : undefined} data-testid="wf-grade-proposed">
                      {l.proposed}
                    </Tag>
                  ),
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
    </>
  );
}
