import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Empty, Flex, Image, Result, Row, Spin, Tag, Timeline, Typography } from 'antd';
import { useParams } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { DEADLINE_COLORS, STATE_COLORS, eventApi, eventKeys, type EventAction } from './api';
import { ActionDialog } from './ActionDialog';
import { MediateFromEvent } from './MediateFromEvent';
import { formatTime } from './format';

const PRIMARY = new Set<EventAction>([
  'accept',
  'handle',
  'whistle',
  'respond',
  'verify',
  'close',
  'evaluate',
  'approve_suspend',
  'resume',
]);

/** The event page: what, where, the deadline, the timeline of every step, and the caller's actions. */
export default function EventDetailPage() {
  const { id = '' } = useParams();
  const { t, tc } = useLang();
  const queryClient = useQueryClient();
  const [action, setAction] = useState<EventAction | null>(null);
  const q = useQuery({ queryKey: eventKeys.one(id), queryFn: () => eventApi.get(id) });
  if (q.isLoading) return <Spin />;
  if (!q.data) return <Result status="404" title={t('events.notFound')} />;
  const e = q.data;
  // the note goes last: it is always there and never the main thing to do
  const actions: EventAction[] = [...e.allowedActions.filter((a) => a !== 'note'), ...e.allowedActions.filter((a) => a === 'note')];

  return (
    <Flex vertical gap={12}>
      <Flex vertical gap={4}>
        <Typography.Title level={3} className="page-title" style={{ margin: 0 }} data-testid="event-title">
          {e.title}
        </Typography.Title>
        <Flex gap={4} wrap>
          <Tag color={STATE_COLORS[e.state]} data-testid="event-state">
            {tc('events.stateName', e.state)}
          </Tag>
          <Tag>{tc('events.levelName', e.level)}</Tag>
          {e.deadline !== 'none' && <Tag color={DEADLINE_COLORS[e.deadline]}>{tc('events.deadline', e.deadline)}</Tag>}
          {e.supervisedCount > 0 && <Tag color="volcano">{t('events.supervised', { n: e.supervisedCount })}</Tag>}
          <Typography.Text type="secondary" copyable>
            {e.number}
          </Typography.Text>
        </Flex>
      </Flex>
      <Card size="small" title={t('events.actions')}>
        {actions.length === 0 ? (
          <Typography.Text type="secondary">{t('events.noActions')}</Typography.Text>
        ) : (
          <Flex gap={8} wrap data-testid="event-actions">
            {actions.map((a) => (
              <Button key={a} type={PRIMARY.has(a) ? 'primary' : 'default'} onClick={() => setAction(a)} data-testid={`action-${a}`}>
                {tc('events.action', a)}
              </Button>
            ))}
          </Flex>
        )}
      </Card>
      <MediateFromEvent event={e} />
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={12}>
          <Card size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('events.category')}>{e.categoryName}</Descriptions.Item>
              <Descriptions.Item label={t('events.place')}>
                {e.placeName} {e.address}
              </Descriptions.Item>
              <Descriptions.Item label={t('events.description')}>{e.description || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('events.source')}>{tc('events.sourceName', e.source)}</Descriptions.Item>
              <Descriptions.Item label={t('events.reporter')}>
                {e.anonymous ? t('events.anonymousReporter') : [e.reporterName, e.reporterPhone].filter(Boolean).join(' ') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('events.reportedAt')}>{formatTime(e.reportedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('events.dueAt')}>{formatTime(e.dueAt)}</Descriptions.Item>
              {e.leadOrg && (
                <Descriptions.Item label={t('events.departments')}>
                  {e.leadOrg.name}（{t('events.lead')}）{e.assistOrgs.map((o) => `、${o.name}（${t('events.assist')}）`).join('')}
                </Descriptions.Item>
              )}
              {e.satisfaction !== null && (
                <Descriptions.Item label={t('events.satisfaction')}>{'★'.repeat(e.satisfaction)}</Descriptions.Item>
              )}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('events.timeline')}>
            {e.timeline.length === 0 ? (
              <Empty />
            ) : (
              <Timeline
                data-testid="event-timeline"
                items={e.timeline.map((s) => ({
                  color: s.action === 'overdue' ? 'red' : s.action === 'supervise' ? 'orange' : 'blue',
                  content: (
                    <div>
                      <Typography.Text strong>{tc('events.action', s.action)}</Typography.Text>{' '}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(s.at)} · {s.actorName} · {tc('events.stateName', s.toState)}
                      </Typography.Text>
                      {s.note && <div>{s.note}</div>}
                      {Array.isArray(s.details.departments) && <div>{(s.details.departments as string[]).join('、')}</div>}
                      {s.attachments.length > 0 && (
                        <Flex gap={4} wrap style={{ marginTop: 4 }}>
                          {s.attachments.map((src) => (
                            <Image
                              key={src}
                              src={`${src}?size=thumb`}
                              preview={{ src }}
                              width={64}
                              height={64}
                              style={{ objectFit: 'cover', borderRadius: 4 }}
                              data-testid="event-photo"
                            />
                          ))}
                        </Flex>
                      )}
                    </div>
                  ),
                }))}
              />
            )}
          </Card>
        </Col>
      </Row>
      {action && (
        <ActionDialog
          event={e}
          action={action}
          onClose={() => setAction(null)}
          onDone={() => {
            setAction(null);
            void queryClient.invalidateQueries({ queryKey: eventKeys.all });
          }}
        />
      )}
    </Flex>
  );
}
