import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Col, Empty, Flex, Row, Select, Steps, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { DownloadOutlined, FormOutlined } from '@ant-design/icons';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { wfApi, type Application } from './api';
import { AdvanceButton, ObjectionsCard, RowActions, ScoreEditor } from './RecruitmentActions';

const STAGES = ['open', 'screening', 'written', 'interview', 'checks', 'notice', 'closed'];
const BOARD = [
  'submitted',
  'eligible',
  'ineligible',
  'failed',
  'ranked',
  'selected',
  'notice',
  'struck',
  'appointed',
  'reserve',
  'reserve_used',
];
const COLOR: Record<string, string> = {
  notice: 'processing',
  appointed: 'success',
  reserve: 'purple',
  reserve_used: 'cyan',
  selected: 'gold',
  failed: 'default',
  ineligible: 'default',
  struck: 'error',
};

export default function RecruitmentPage() {
  const { t, tc } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const plans = useQuery({ queryKey: ['wf', 'plans'], queryFn: wfApi.plans });
  const { id: param } = useParams();
  const id = param ?? plans.data?.find((p) => p.stage !== 'closed')?.id ?? plans.data?.[0]?.id;
  const plan = useQuery({ queryKey: ['wf', 'plan', id], queryFn: () => wfApi.plan(id!), enabled: !!id });
  const apps = useQuery({ queryKey: ['wf', 'apps', id], queryFn: () => wfApi.applications(id!), enabled: !!id });
  // The status picked on the board: the ranking lists only it, and the export follows it.
  const [picked, setPicked] = useState<{ plan: string; status: string } | null>(null);
  const viewing = picked && picked.plan === id ? picked.status : null;
  if (plans.data && !plans.data.length) return <Empty description={t('wf.rec.none')} />;
  const p = plan.data;
  const columns: TableColumnsType<Application> = [
    { title: t('wf.rec.rank'), dataIndex: 'rank', key: 'rank', width: 64, render: (v) => v ?? '—' },
    {
      title: t('wf.name'),
      key: 'name',
      render: (_, a) => (
        <span>
          {a.name} {a.channel === 'online' && <Tag color="blue">{t('wf.rec.online')}</Tag>}
        </span>
      ),
    },
    { title: t('wf.street'), dataIndex: 'streetName', key: 'street', responsive: ['md'] },
    { title: t('wf.rec.written'), dataIndex: 'writtenScore', key: 'w', render: (v) => v ?? '—' },
    { title: t('wf.rec.bonus'), dataIndex: 'bonusPoints', key: 'b', render: (v: number) => (v ? <Tag color="green">+{v}</Tag> : '') },
    { title: t('wf.rec.interview'), dataIndex: 'interviewScore', key: 'i', render: (v) => v ?? '—' },
    { title: t('wf.rec.total'), dataIndex: 'totalScore', key: 't', render: (v) => (v == null ? '—' : <b>{v}</b>) },
    { title: t('wf.rec.status'), key: 's', render: (_, a) => <Tag color={COLOR[a.status]}>{tc('wfStatus', a.status)}</Tag> },
    { title: t('wf.rec.reserveRank'), dataIndex: 'reserveRank', key: 'rr', render: (v) => v ?? '', responsive: ['md'] },
    {
      title: t('wf.pay.explain'),
      key: 'why',
      render: (_, a) => (
        <Typography.Text type="secondary">
          {[a.statusReason, ...a.screening.filter((s) => s !== '无加分证书')].filter(Boolean).join('；')}
        </Typography.Text>
      ),
      responsive: ['lg'],
    },
  ];
  if (p && can('workforce.recruit'))
    columns.push({ title: t('wf.rec.actions'), key: 'act', render: (_, a) => <RowActions plan={p} a={a} /> });
  const counts = (apps.data ?? []).reduce<Record<string, number>>((m, a) => ({ ...m, [a.status]: (m[a.status] ?? 0) + 1 }), {});
  const shown = viewing ? (apps.data ?? []).filter((a) => a.status === viewing) : (apps.data ?? []);
  const pick = (status: string) => setPicked(viewing === status || !id ? null : { plan: id, status });
  return (
    <Flex vertical gap={16}>
      <Flex gap={8} wrap align="center">
        <Select
          style={{ minWidth: 320 }}
          value={id}
          onChange={(v) => navigate(`/workforce/recruitment/${v}`)}
          options={(plans.data ?? []).map((x) => ({ value: x.id, label: `${x.title}（${tc('wfStage', x.stage)}）` }))}
          data-testid="wf-plan-select"
        />
        {id && (
          <Button
            icon={<DownloadOutlined />}
            onClick={() => void wfApi.exportApplications(id, viewing ?? undefined)}
            data-testid="wf-rec-export"
          >
            {viewing ? t('wf.rec.exportStage', { stage: tc('wfStatus', viewing) }) : t('wf.exportXlsx')}
          </Button>
        )}
        {p?.stage === 'open' && (
          <Link to={`/apply/${p.id}`} target="_blank" data-testid="wf-apply-link">
            <Button icon={<FormOutlined />}>{t('wf.apply.link')}</Button>
          </Link>
        )}
      </Flex>
      {p && (
        <Card size="small" title={p.title} extra={p.canRecruit ? <AdvanceButton plan={p} /> : null}>
          <Steps size="small" current={STAGES.indexOf(p.stage)} items={STAGES.map((s) => ({ title: tc('wfStage', s) }))} responsive />
          {p.noticeStart && p.stage === 'notice' && (
            <Alert
              style={{ marginTop: 12 }}
              type="info"
              showIcon
              title={t('wf.rec.notice', { from: p.noticeStart, to: p.noticeEnd ?? '' })}
            />
          )}
          <Flex gap={8} wrap style={{ marginTop: 12 }}>
            {(p.posts ?? []).map((post) => (
              <Tag key={post.id} color="blue">{`${post.streetName} · ${post.name} · ${t('wf.rec.quota', { n: post.quota })}`}</Tag>
            ))}
          </Flex>
        </Card>
      )}
      <Card
        size="small"
        title={t('wf.rec.board')}
        data-testid="wf-rec-board"
        extra={<Typography.Text type="secondary">{t('wf.rec.boardHint')}</Typography.Text>}
      >
        <Row gutter={[8, 8]}>
          {BOARD.filter((s) => counts[s]).map((s) => (
            <Col key={s} xs={12} sm={8} md={6} lg={4}>
              <Card
                size="small"
                hoverable
                onClick={() => pick(s)}
                styles={{ body: { padding: 10 } }}
                style={viewing === s ? { borderColor: '#1677ff', background: '#e6f4ff' } : undefined}
                data-testid={`wf-rec-board-${s}`}
              >
                <Badge status={(COLOR[s] as 'processing') ?? 'default'} text={tc('wfStatus', s)} />
                <div style={{ fontSize: 22, fontWeight: 600 }}>{counts[s]}</div>
              </Card>
            </Col>
          ))}
        </Row>
      </Card>
      {p && can('workforce.recruit') && (p.stage === 'written' || p.stage === 'interview') && (
        <ScoreEditor plan={p} apps={apps.data ?? []} />
      )}
      {p && (p.stage === 'notice' || p.stage === 'closed') && <ObjectionsCard plan={p} />}
      <Card
        size="small"
        title={viewing ? `${t('wf.rec.ranking')} · ${tc('wfStatus', viewing)}` : t('wf.rec.ranking')}
        extra={
          viewing && (
            <Button size="small" type="link" onClick={() => setPicked(null)} data-testid="wf-rec-show-all">
              {t('wf.rec.showAll')}
            </Button>
          )
        }
      >
        <Table
          rowKey="id"
          size="small"
          loading={apps.isLoading}
          dataSource={shown}
          columns={columns}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="wf-rec-ranking"
        />
      </Card>
    </Flex>
  );
}
