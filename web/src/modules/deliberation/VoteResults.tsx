import { Card, Flex, Progress, Result, Table, Tag, Typography } from 'antd';
import { useLang } from '../../app/LangContext';
import type { OwnersResult, SelectionResult, Vote } from './api';
import { ThresholdBar } from './ThresholdBar';

const m2 = (x: number) => x.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/** While an owners' vote is open: who has taken part, toward two thirds of area and of headcount. */
export function LiveParticipation({ vote: v }: { vote: Vote }) {
  const { t } = useLang();
  const live = v.live!;
  if (!live.participating || !live.total || !live.shares || !live.quorum) return null;
  return (
    <Card title={t('vote.live')} style={{ marginTop: 12 }} data-testid="vote-live">
      <ThresholdBar
        testId="live-area"
        label={t('vote.byArea')}
        share={live.shares.participationArea}
        threshold={2 / 3}
        thresholdLabel="2/3"
        figures={t('vote.areaOf', { part: m2(live.participating.area), total: m2(live.total.area) })}
        met={live.quorum.area}
      />
      <ThresholdBar
        testId="live-headcount"
        label={t('vote.byHeadcount')}
        share={live.shares.participationHeadcount}
        threshold={2 / 3}
        thresholdLabel="2/3"
        figures={t('vote.headOf', { part: live.participating.headcount, total: live.total.headcount })}
        met={live.quorum.headcount}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('vote.countedOnce')}
      </Typography.Text>
    </Card>
  );
}

export function OwnersResultCard({ result: r }: { result: OwnersResult }) {
  const { t } = useLang();
  const three = r.rule === 'three_quarters';
  const rule = three ? '3/4' : '>1/2';
  return (
    <Card title={t('vote.result')} style={{ marginTop: 12 }} data-testid="vote-result">
      <Result status={r.passed ? 'success' : 'error'} title={r.passed ? t('vote.passed') : t('vote.failed')} style={{ padding: '0 0 12px' }} />
      <Typography.Title level={5}>{t('vote.participation')}</Typography.Title>
      <ThresholdBar
        testId="result-participation-area"
        label={t('vote.byArea')}
        share={r.shares.participationArea}
        threshold={2 / 3}
        thresholdLabel="2/3"
        figures={t('vote.areaOf', { part: m2(r.participating.area), total: m2(r.total.area) })}
        met={r.quorum.area}
      />
      <ThresholdBar
        testId="result-participation-headcount"
        label={t('vote.byHeadcount')}
        share={r.shares.participationHeadcount}
        threshold={2 / 3}
        thresholdLabel="2/3"
        figures={t('vote.headOf', { part: r.participating.headcount, total: r.total.headcount })}
        met={r.quorum.headcount}
      />
      <Typography.Title level={5}>{t('vote.approval', { rule })}</Typography.Title>
      <ThresholdBar
        testId="result-approval-area"
        label={t('vote.byArea')}
        share={r.shares.approvalArea}
        threshold={three ? 0.75 : 0.5}
        thresholdLabel={rule}
        figures={t('vote.areaOf', { part: m2(r.agree.area), total: m2(r.participating.area) })}
        met={r.approval.area}
      />
      <ThresholdBar
        testId="result-approval-headcount"
        label={t('vote.byHeadcount')}
        share={r.shares.approvalHeadcount}
        threshold={three ? 0.75 : 0.5}
        thresholdLabel={rule}
        figures={t('vote.headOf', { part: r.agree.headcount, total: r.participating.headcount })}
        met={r.approval.headcount}
      />
      <Table
        size="small"
        pagination={false}
        rowKey="k"
        dataSource={[
          { k: 'agree', label: t('vote.agree'), ...r.agree },
          { k: 'disagree', label: t('vote.disagree'), ...r.disagree },
          { k: 'abstain', label: t('vote.abstain'), ...r.abstain },
        ]}
        columns={[
          { title: '', dataIndex: 'label' },
          { title: t('vote.byArea'), dataIndex: 'area', render: (x: number) => `${m2(x)} ㎡` },
          { title: t('vote.byHeadcount'), dataIndex: 'headcount' },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8, marginBottom: 0 }}>
        {t('vote.countedOnce')}
      </Typography.Paragraph>
    </Card>
  );
}

export function SelectionResultCard({ vote: v, result: r, ballots }: { vote: Vote; result: SelectionResult; ballots: number }) {
  const { t } = useLang();
  const label = new Map(v.options.map((o) => [o.id, o.label]));
  const max = Math.max(1, ...r.counts.map((c) => c.votes));
  return (
    <Card title={`${t('vote.result')} · ${t('vote.ballots', { n: ballots })}`} style={{ marginTop: 12 }} data-testid="vote-result">
      <Flex vertical gap={6}>
        {r.counts.map((c) => (
          <div key={c.optionId}>
            <Flex justify="space-between" gap={8}>
              <Typography.Text>
                {c.rank}. {label.get(c.optionId)}
              </Typography.Text>
              <span>
                {r.winners.includes(c.optionId) && <Tag color="gold">{t('vote.winner')}</Tag>}
                {r.tieAtCut.includes(c.optionId) && <Tag color="orange">{t('vote.tie')}</Tag>}
                {c.votes}
              </span>
            </Flex>
            <Progress percent={(c.votes / max) * 100} showInfo={false} size="small" strokeColor={r.winners.includes(c.optionId) ? '#d48806' : '#1f5fbf'} />
          </div>
        ))}
      </Flex>
    </Card>
  );
}
