import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Flex, InputNumber, Row, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { homeCode, wfApi, wfMore, type Programme } from './api';
import TrainingModal, { type TrainingForm } from './TrainingForms';
import { wfExports } from './exports';

const KIND_COLOR: Record<string, string> = { onboarding: 'red', lingyan: 'gold', liangyan: 'orange', chuyan: 'green', academy: 'purple' };

/**
 * Training and compliance (W5): programmes (onboarding, 领雁/良雁/雏雁, 头雁学院, external) with
 * their sessions and attendance (days credited), mentor pairs (导师帮带), and the yearly list of
 * workers under the minimum days with its .xlsx export.
 */
export default function TrainingPage() {
  const { t, tc } = useLang();
  const { session } = useAuth();
  const code = homeCode(session?.roles ?? []);
  const district = code.slice(0, 6);
  const [year, setYear] = useState(new Date().getFullYear());
  const [form, setForm] = useState<TrainingForm | null>(null);
  const programmes = useQuery({
    queryKey: ['wf', 'programmes', district, year],
    queryFn: () => wfMore.programmes(district, year),
    enabled: !!district,
  });
  const compliance = useQuery({ queryKey: ['wf', 'compliance', code, year], queryFn: () => wfApi.compliance(code, year), enabled: !!code });
  const mentors = useQuery({ queryKey: ['wf', 'mentors', code], queryFn: () => wfMore.mentors(code), enabled: !!code });
  const workers = useQuery({ queryKey: ['wf', 'workers', {}], queryFn: () => wfApi.workers({}) });
  const c = compliance.data;

  const sessions = (p: Programme) => (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={p.sessionList}
      locale={{ emptyText: t('wf.tr.noSessions') }}
      columns={[
        { title: t('wf.tr.sessionTitle'), dataIndex: 'title', key: 't' },
        { title: t('wf.tr.startOn'), dataIndex: 'startOn', key: 's' },
        { title: t('wf.tr.days'), dataIndex: 'days', key: 'd' },
        { title: t('wf.tr.attendees'), dataIndex: 'attendees', key: 'a' },
        {
          title: '',
          key: 'x',
          render: (_, s) => (
            <Button
              size="small"
              data-testid={`wf-tr-attend-${s.title}`}
              onClick={() => setForm({ kind: 'attendance', sessionId: s.id, title: s.title, onboarding: p.kind === 'onboarding' })}
            >
              {t('wf.tr.attendance')}
            </Button>
          ),
        },
      ]}
    />
  );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          size="small"
          title={t('wf.tr.programmes')}
          data-testid="wf-tr-programmes"
          extra={
            <Flex gap={8}>
              <InputNumber value={year} min={2000} max={2100} onChange={(v) => v && setYear(v)} style={{ width: 90 }} />
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setForm({ kind: 'programme' })}
                data-testid="wf-tr-new-programme"
              >
                {t('wf.tr.newProgramme')}
              </Button>
            </Flex>
          }
        >
          <Table
            rowKey="id"
            size="small"
            pagination={{ pageSize: 8 }}
            dataSource={programmes.data ?? []}
            expandable={{ expandedRowRender: sessions, rowExpandable: () => true }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('wf.tr.programmeName'), dataIndex: 'name', key: 'n' },
              { title: t('wf.hr.kind'), key: 'k', render: (_, p) => <Tag color={KIND_COLOR[p.kind]}>{tc('wfTraining', p.kind)}</Tag> },
              { title: t('wf.tr.sessions'), dataIndex: 'sessions', key: 's' },
              { title: t('wf.tr.days'), dataIndex: 'days', key: 'd' },
              {
                title: '',
                key: 'x',
                render: (_, p) => (
                  <Button
                    size="small"
                    icon={<PlusOutlined />}
                    data-testid={`wf-tr-add-session-${p.name}`}
                    onClick={() => setForm({ kind: 'session', programmeId: p.id, programmeName: p.name })}
                  >
                    {t('wf.tr.newSession')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
        <Card
          size="small"
          style={{ marginTop: 16 }}
          title={t('wf.mentors')}
          extra={
            <Flex gap={8}>
              <Button
                size="small"
                icon={<DownloadOutlined />}
                onClick={() => void wfExports.mentors(code)}
                data-testid="wf-tr-mentors-export"
              >
                {t('wf.exportXlsx')}
              </Button>
              <Button size="small" icon={<PlusOutlined />} onClick={() => setForm({ kind: 'mentor' })} data-testid="wf-tr-new-mentor">
                {t('wf.tr.newMentor')}
              </Button>
            </Flex>
          }
        >
          <Table
            rowKey="id"
            size="small"
            pagination={{ pageSize: 5 }}
            dataSource={mentors.data ?? []}
            data-testid="wf-tr-mentors"
            columns={[
              { title: t('wf.tr.mentor'), dataIndex: 'mentorName', key: 'm' },
              { title: t('wf.tr.mentee'), dataIndex: 'menteeName', key: 'e' },
              { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
              { title: t('wf.tr.startOn'), dataIndex: 'startOn', key: 's' },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card
          size="small"
          title={c ? t('wf.care.compliance', { n: c.minDays, year }) : t('wf.tr.compliance')}
          data-testid="wf-tr-compliance"
          extra={
            <Button
              size="small"
              icon={<DownloadOutlined />}
              onClick={() => void wfApi.exportCompliance(code, year)}
              data-testid="wf-tr-export"
            >
              {t('wf.exportXlsx')}
            </Button>
          }
        >
          {c && <Typography.Paragraph>{t('wf.care.compliant', { a: c.compliant, b: c.total })}</Typography.Paragraph>}
          <Table
            rowKey="workerId"
            size="small"
            pagination={{ pageSize: 12 }}
            dataSource={c?.below ?? []}
            columns={[
              { title: t('wf.name'), dataIndex: 'name', key: 'n' },
              { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
              { title: t('wf.care.days'), dataIndex: 'days', key: 'd' },
              {
                title: t('wf.onboarded'),
                key: 'o',
                render: (_, r) => (r.onboarded ? '✓' : <Tag color="warning">{t('wf.notOnboarded')}</Tag>),
              },
            ]}
          />
        </Card>
      </Col>
      <TrainingModal form={form} onClose={() => setForm(null)} districtCode={district} year={year} workers={workers.data ?? []} />
    </Row>
  );
}
