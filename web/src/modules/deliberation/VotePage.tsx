import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Descriptions, Flex, Popconfirm, Result, Skeleton, Tag, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys, type Vote } from './api';
import { OwnersResultCard, LiveParticipation, SelectionResultCard } from './VoteResults';
import { VoteManagerCard } from './VoteManagerCard';
import { VOTE_COLORS } from './VotesPage';

/** The vote page: a resident's one-tap ballot and receipt (phone-sized), and the figures. */
export default function VotePage() {
  const { id = '' } = useParams();
  const { t, tc, lang } = useLang();
  const vote = useQuery({ queryKey: delibKeys.vote(id), queryFn: () => delibApi.vote(id), refetchInterval: 15_000 });
  if (vote.isPending) return <Skeleton active />;
  if (vote.isError) return <Result status="404" title={vote.error.message} />;
  const v = vote.data;
  return (
    <div className="phone-page">
      <Card>
        <Flex justify="space-between" align="start" gap={8}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="vote-title">
            {v.title}
          </Typography.Title>
          <Tag color={VOTE_COLORS[v.status]} data-testid="vote-status">
            {tc('voteStatus', v.status)}
          </Tag>
        </Flex>
        <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
          <Descriptions.Item label={t('meeting.when')}>
            {t('vote.window', { from: formatDateTime(v.opensAt, lang), to: formatDateTime(v.closesAt, lang) })}
          </Descriptions.Item>
          {v.matter && <Descriptions.Item label={t('vote.kind.owners')}>{t('vote.matter', { n: v.matter, name: v.matterName ?? '' })}</Descriptions.Item>}
        </Descriptions>
        {v.rule && <Alert type="info" style={{ marginTop: 4 }} message={t(v.rule === 'three_quarters' ? 'vote.ruleThreeQuarters' : 'vote.ruleMoreThanHalf')} />}
        {v.description && <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }}>{v.description}</Typography.Paragraph>}
      </Card>
      <BallotCard vote={v} />
      {v.status === 'open' && v.kind === 'owners' && v.live && <LiveParticipation vote={v} />}
      {v.status === 'open' && v.kind === 'selection' && v.live && (
        <Card style={{ marginTop: 12 }}>
          <Typography.Text>{t('vote.ballots', { n: v.live.ballots })}</Typography.Text>
        </Card>
      )}
      {v.result?.kind === 'owners' && <OwnersResultCard result={v.result.owners} />}
      {v.result?.kind === 'selection' && <SelectionResultCard vote={v} result={v.result.selection} ballots={v.result.ballots} />}
      {v.canManage && <VoteManagerCard vote={v} />}
    </div>
  );
}

function BallotCard({ vote: v }: { vote: Vote }) {
  const { t, lang } = useLang();
  const { can } = useAuth();
  const qc = useQueryClient();
  const [picked, setPicked] = useState<string[]>([]);
  const [receipt, setReceipt] = useState<string | null>(null);
  const cast = useMutation({
    mutationFn: (body: { choice?: string; optionIds?: string[] }) => delibApi.cast(v.id, body),
    onSuccess: (r) => {
      setReceipt(r.receipt);
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
    },
  });
  const shown = receipt ?? v.me.receipt;
  // Workers run the vote; only residents have a ballot to cast.
  if (!can('deliberation.participate')) return null;
  if (v.me.voted || receipt)
    return (
      <Card style={{ marginTop: 12 }}>
        <Result
          status="success"
          title={t('vote.voted')}
          subTitle={
            <>
              {shown && (
                <div>
                  {t('vote.receipt')}：<Typography.Text code copyable data-testid="vote-receipt">{shown}</Typography.Text>
                </div>
              )}
              {v.me.castAt && <div>{formatDateTime(v.me.castAt, lang)}</div>}
              <div>{t('vote.receiptHint')}</div>
            </>
          }
          style={{ padding: 8 }}
        />
      </Card>
    );
  if (!v.me.eligible || v.status !== 'open') {
    if (v.status === 'closed') return null;
    return <Alert style={{ marginTop: 12 }} type="warning" showIcon message={v.status !== 'open' ? t('vote.notOpen') : t('vote.notEligible')} />;
  }
  if (v.kind === 'owners') {
    const choices = [
      { key: 'agree', label: t('vote.agree'), color: '#389e0d' },
      { key: 'disagree', label: t('vote.disagree'), color: '#cf1322' },
      { key: 'abstain', label: t('vote.abstain'), color: '#8c8c8c' },
    ];
    return (
      <Card style={{ marginTop: 12 }}>
        <Typography.Paragraph type="secondary">{t('vote.yourHouses', { houses: v.me.houses.map((h) => h.slice(-4)).join('、') })}</Typography.Paragraph>
        <Flex vertical gap={10}>
          {choices.map((c) => (
            <Popconfirm key={c.key} title={t('vote.confirm', { choice: c.label })} onConfirm={() => cast.mutate({ choice: c.key })} okText={t('common.confirm')} cancelText={t('common.cancel')}>
              <Button block size="large" style={{ height: 52, fontSize: 18, borderColor: c.color, color: c.color }} loading={cast.isPending} data-testid={`ballot-${c.key}`}>
                {c.label}
              </Button>
            </Popconfirm>
          ))}
        </Flex>
      </Card>
    );
  }
  return (
    <Card style={{ marginTop: 12 }} title={t('vote.pick', { n: v.maxChoices })}>
      <Checkbox.Group value={picked} onChange={(vals) => setPicked((vals as string[]).slice(0, v.maxChoices))} style={{ width: '100%' }}>
        <Flex vertical gap={8}>
          {v.options.map((o) => (
            <Checkbox key={o.id} value={o.id} disabled={!picked.includes(o.id) && picked.length >= v.maxChoices}>
              {o.label}
            </Checkbox>
          ))}
        </Flex>
      </Checkbox.Group>
      <Button type="primary" block size="large" style={{ marginTop: 12 }} disabled={!picked.length} loading={cast.isPending} onClick={() => cast.mutate({ optionIds: picked })}>
        {t('vote.submitSelection')}
      </Button>
    </Card>
  );
}
