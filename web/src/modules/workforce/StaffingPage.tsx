import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Flex, Input, Row, Statistic, Table, Tag, Tooltip, type TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { homeCode, wfApi, type CommunityStaffing, type Staffing } from './api';

/** A bar per community: workers per 10 000 residents, with the target as a line. */
function RatioChart({ data }: { data: Staffing }) {
  const { t } = useLang();
  const max = Math.max(data.target * 1.5, ...data.communities.map((c) => c.per10k ?? 0));
  const pct = (v: number) => `${Math.min(100, (v / max) * 100)}%`;
  return (
    <Card size="small" title={t('wf.staffing.chart')} data-testid="wf-staffing-chart">
      {data.communities.map((c) => (
        <Flex key={c.code} align="center" gap={8} style={{ marginBottom: 6 }}>
          <div style={{ width: 96, flex: 'none', fontSize: 13, textAlign: 'right' }}>{c.name}</div>
          <div style={{ position: 'relative', flex: 1, height: 18, background: '#f2f4f7', borderRadius: 3 }}>
            <Tooltip title={`${c.workers} / ${c.residents}`}>
              <div
                style={{
                  width: pct(c.per10k ?? 0),
                  height: '100%',
                  borderRadius: 3,
                  background: (c.per10k ?? 0) >= c.target ? '#52c41a' : '#fa8c16',
                }}
              />
            </Tooltip>
            <div style={{ position: 'absolute', left: pct(data.target), top: -3, bottom: -3, borderLeft: '2px dashed #cf1322' }} />
          </div>
          <div style={{ width: 44, flex: 'none', fontSize: 13 }}>{c.per10k ?? '—'}</div>
        </Flex>
      ))}
    </Card>
  );
}

export default function StaffingPage() {
  const { t } = useLang();
  const { session, can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const code = params.code || homeCode(session?.roles ?? []);
  const [text, setText] = useState(code);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['wf', 'staffing', code], queryFn: () => wfApi.staffing(code), enabled: !!code });
  const fill = async (c: CommunityStaffing) => {
    const r = await wfApi.fill(c.code);
    message.success(t('wf.staffing.filled', { name: r.name }));
    void qc.invalidateQueries({ queryKey: ['wf'] });
  };
  const columns: TableColumnsType<CommunityStaffing> = [
    { title: t('wf.street'), dataIndex: 'streetName', key: 's', responsive: ['lg'] },
    { title: t('wf.community'), dataIndex: 'name', key: 'n' },
    { title: t('wf.staffing.residents'), dataIndex: 'residents', key: 'r', responsive: ['sm'] },
    { title: t('wf.staffing.workers'), dataIndex: 'workers', key: 'w' },
    {
      title: t('wf.staffing.per10k'),
      key: 'p',
      render: (_, c) => <Tag color={(c.per10k ?? 0) >= c.target ? 'green' : 'orange'}>{c.per10k ?? '—'}</Tag>,
    },
    { title: t('wf.partyAffairs'), key: 'pa', render: (_, c) => (c.partyAffairs ? c.partyAffairs : <Tag color="red">0</Tag>) },
    { title: t('wf.staffing.posts'), dataIndex: 'authorizedPosts', key: 'ap', responsive: ['md'] },
    { title: t('wf.staffing.vacancies'), dataIndex: 'vacancies', key: 'v' },
    { title: t('wf.staffing.reserve'), dataIndex: 'reserveAvailable', key: 'ra', responsive: ['md'] },
  ];
  if (can('workforce.manage'))
    columns.push({
      title: t('common.actions'),
      key: 'a',
      render: (_, c) => (
        <Button size="small" disabled={!c.vacancies || !c.reserveAvailable} onClick={() => void fill(c)} data-testid={`wf-fill-${c.code}`}>
          {t('wf.staffing.fill')}
        </Button>
      ),
    });
  const d = q.data;
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap>
        <Input.Search
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(v) => navigate(`/workforce/staffing/${v.trim()}`)}
          style={{ width: 240 }}
          placeholder={t('wf.territory')}
        />
        <Button icon={<DownloadOutlined />} onClick={() => void wfApi.exportStaffing(code)} disabled={!code}>
          {t('wf.exportXlsx')}
        </Button>
      </Flex>
      {d && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={4}>
              <Card size="small">
                <Statistic title={d.name} value={d.summary.workers} suffix={t('wf.staffing.workers')} />
              </Card>
            </Col>
            <Col xs={12} md={5}>
              <Card size="small">
                <Statistic
                  title={t('wf.staffing.per10k')}
                  value={d.summary.per10k ?? '—'}
                  suffix={`/ ${d.target}`}
                  valueStyle={{ color: (d.summary.per10k ?? 0) >= d.target ? '#3f8600' : '#d46b08' }}
                />
              </Card>
            </Col>
            <Col xs={12} md={5}>
              <Card size="small">
                <Statistic title={t('wf.staffing.shortfall')} value={d.summary.shortfall} />
              </Card>
            </Col>
            <Col xs={12} md={5}>
              <Card size="small">
                <Statistic title={t('wf.staffing.vacancies')} value={d.summary.vacancies} />
              </Card>
            </Col>
            <Col xs={24} md={5}>
              <Card size="small">
                <Statistic
                  title={t('wf.staffing.noParty')}
                  value={d.summary.withoutPartyAffairs}
                  valueStyle={{ color: d.summary.withoutPartyAffairs ? '#cf1322' : undefined }}
                />
              </Card>
            </Col>
          </Row>
          <div style={{ color: '#666' }}>{t('wf.staffing.target', { n: d.target })}</div>
          <RatioChart data={d} />
          <Table
            rowKey="code"
            size="small"
            dataSource={d.communities}
            columns={columns}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="wf-staffing-table"
          />
        </>
      )}
    </Flex>
  );
}
