import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Flex, List, Progress, Result, Row, Skeleton, Tag, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys, pct, type OwnersResult } from './api';

/** A community's public board (四公开, conventions, outcomes), readable without signing in. */
export default function BoardPage() {
  const { code = '' } = useParams();
  const { t, tc, lang, setLang } = useLang();
  const board = useQuery({ queryKey: delibKeys.board(code), queryFn: () => delibApi.board(code) });
  if (board.isPending) return <Skeleton active style={{ padding: 24 }} />;
  if (board.isError) return <Result status="404" title={board.error.message} />;
  const b = board.data;
  return (
    <div className="board-page">
      <Flex justify="space-between" align="center" gap={8}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('board.title', { name: b.community.name })}
        </Typography.Title>
        <a onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>{t('lang.switch')}</a>
      </Flex>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card title={t('board.votes')} size="small" data-testid="board-votes">
            {b.votes.length ? (
              <List
                dataSource={b.votes}
                renderItem={(v) => (
                  <List.Item>
                    <div style={{ width: '100%' }}>
                      <Typography.Text strong>{v.title}</Typography.Text>
                      {v.kind === 'owners' && v.outcome ? <OwnersOutcome o={v.outcome as unknown as OwnersResult} /> : null}
                      {v.kind === 'selection' && v.outcome ? <SelectionOutcome o={v.outcome as { ballots: number; ranking: { label: string; votes: number; winner: boolean }[] }} /> : null}
                    </div>
                  </List.Item>
                )}
              />
            ) : (
              <Empty description={t('board.empty')} />
            )}
          </Card>
          <Card title={t('board.meetings')} size="small" style={{ marginTop: 16 }}>
            <List
              dataSource={b.meetings}
              locale={{ emptyText: t('board.empty') }}
              renderItem={(m) => (
                <List.Item>
                  <div>
                    <Typography.Text strong>{m.title}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {tc('bodyKind', m.bodyKind)} · {formatDateTime(m.heldAt, lang)}
                      </Typography.Text>
                    </div>
                    <Typography.Paragraph style={{ margin: '4px 0' }}>{m.outcome}</Typography.Paragraph>
                    {m.resolutions.map((r, i) => (
                      <div key={i}>
                        <Tag color={r.decision === 'adopted' ? 'green' : 'orange'}>{tc('decision', r.decision)}</Tag>
                        {r.text}
                      </div>
                    ))}
                    {m.tasks.total > 0 && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('meeting.tasksProgress', { done: m.tasks.done, total: m.tasks.total })}
                      </Typography.Text>
                    )}
                  </div>
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('board.conventions')} size="small">
            <List
              dataSource={b.conventions}
              locale={{ emptyText: t('board.empty') }}
              renderItem={(c) => (
                <List.Item>
                  <div>
                    <Typography.Text strong>{c.title}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('board.version', { n: c.versionNo, date: c.adoptedOn ?? '', by: c.adoptedBy })}
                      </Typography.Text>
                    </div>
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: '4px 0 0' }}>{c.text}</Typography.Paragraph>
                  </div>
                </List.Item>
              )}
            />
          </Card>
          <Card title={t('board.notices')} size="small" style={{ marginTop: 16 }}>
            <List
              dataSource={b.notices}
              locale={{ emptyText: t('board.empty') }}
              renderItem={(n) => (
                <List.Item>
                  <div>
                    <Tag>{tc('noticeKind', n.kind)}</Tag>
                    <Typography.Text strong>{n.title}</Typography.Text>
                    <Typography.Paragraph style={{ margin: '4px 0 0' }}>{n.body}</Typography.Paragraph>
                  </div>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function OwnersOutcome({ o }: { o: OwnersResult }) {
  const { t } = useLang();
  const bar = (label: string, share: number, met: boolean) => (
    <Flex align="center" gap={8}>
      <span style={{ width: 88, fontSize: 12, flexShrink: 0 }}>{label}</span>
      <Progress percent={share * 100} showInfo={false} size="small" strokeColor={met ? '#389e0d' : '#cf1322'} style={{ flex: 1, margin: 0 }} />
      <span style={{ width: 56, fontSize: 12, textAlign: 'right' }}>{pct(share)}</span>
    </Flex>
  );
  return (
    <div style={{ marginTop: 6 }}>
      <Tag color={o.passed ? 'green' : 'red'}>{o.passed ? t('vote.passed') : t('vote.failed')}</Tag>
      {bar(t('board.partArea'), o.shares.participationArea, o.quorum.area)}
      {bar(t('board.partHead'), o.shares.participationHeadcount, o.quorum.headcount)}
      {bar(t('board.agreeArea'), o.shares.approvalArea, o.approval.area)}
      {bar(t('board.agreeHead'), o.shares.approvalHeadcount, o.approval.headcount)}
    </div>
  );
}

function SelectionOutcome({ o }: { o: { ballots: number; ranking: { label: string; votes: number; winner: boolean }[] } }) {
  const { t } = useLang();
  return (
    <div style={{ marginTop: 6 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('vote.ballots', { n: o.ballots })}
      </Typography.Text>
      <Flex wrap gap={4} style={{ marginTop: 4 }}>
        {o.ranking
          .filter((r) => r.winner)
          .map((r) => (
            <Tag key={r.label} color="gold">
              {r.label} {r.votes}
            </Tag>
          ))}
      </Flex>
    </div>
  );
}
