import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Col, Descriptions, Flex, Input, List, QRCode, Result, Row, Skeleton, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys, type Meeting } from './api';
import { MEETING_COLORS } from './MeetingsPage';
import { ResolutionTracker } from './ResolutionTracker';

/** One meeting: agenda, attendance with the QR check-in, minutes editor, resolutions, and its steps. */
export default function MeetingPage() {
  const { id = '' } = useParams();
  const { t, tc, lang } = useLang();
  const meeting = useQuery({ queryKey: delibKeys.meeting(id), queryFn: () => delibApi.meeting(id) });
  if (meeting.isPending) return <Skeleton active />;
  if (meeting.isError) return <Result status="404" title={meeting.error.message} />;
  const m = meeting.data;
  return (
    <div>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {m.title}
        </Typography.Title>
        <Tag color={MEETING_COLORS[m.status]} data-testid="meeting-status">
          {tc('meetingStatus', m.status)}
        </Tag>
      </Flex>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ margin: '8px 0 16px' }}>
        <Descriptions.Item label={t('body.title')}>
          {m.bodyName}（{tc('bodyKind', m.bodyKind)}）
        </Descriptions.Item>
        <Descriptions.Item label={t('meeting.when')}>{formatDateTime(m.scheduledAt, lang)}</Descriptions.Item>
        <Descriptions.Item label={t('meeting.where')}>{m.location || '—'}</Descriptions.Item>
      </Descriptions>
      {m.canManage && <StepActions meeting={m} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Card title={t('meeting.agenda')} size="small">
            <List
              size="small"
              dataSource={m.agenda}
              renderItem={(a) => (
                <List.Item>
                  {a.seq}. {a.topicId ? <Link to={`/topics/${a.topicId}`}>{a.title}</Link> : a.title}
                  {a.supportCount ? <Tag style={{ marginInlineStart: 8 }}>{a.supportCount}</Tag> : null}
                </List.Item>
              )}
            />
            {m.canManage && (m.status === 'planned' || m.status === 'noticed') && <AddItem meeting={m} />}
          </Card>
          <MinutesEditor meeting={m} />
          <ResolutionTracker meeting={m} />
        </Col>
        <Col xs={24} lg={10}>
          <Card title={`${t('meeting.attendance')}（${m.attendance.length}）`} size="small">
            {m.checkinToken && (m.status === 'noticed' || m.status === 'held') && (
              <Flex vertical align="center" style={{ marginBottom: 12 }}>
                <QRCode value={`${window.location.origin}/checkin/${m.id}?t=${m.checkinToken}`} size={148} data-testid="checkin-qr" />
                <Typography.Text type="secondary">{t('meeting.checkinQr')}</Typography.Text>
              </Flex>
            )}
            <List
              size="small"
              dataSource={m.attendance}
              renderItem={(a) => (
                <List.Item extra={<Tag>{a.method === 'qr' ? 'QR' : t('meeting.markPresent')}</Tag>}>
                  {a.name} {a.seat ? <Typography.Text type="secondary">（{tc('seat', a.seat)}）</Typography.Text> : null}
                </List.Item>
              )}
            />
            {m.canManage && (m.status === 'noticed' || m.status === 'held') && <MarkPresent meeting={m} />}
          </Card>
          {m.outcome && (
            <Card title={t('meeting.outcome')} size="small" style={{ marginTop: 16 }}>
              {m.outcome}
            </Card>
          )}
        </Col>
      </Row>
    </div>
  );
}

function useRefresh() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: ['deliberation'] });
}

function StepActions({ meeting: m }: { meeting: Meeting }) {
  const { t } = useLang();
  const refresh = useRefresh();
  const [outcome, setOutcome] = useState(m.outcome);
  const move = useMutation({ mutationFn: (b: { to: string; outcome?: string }) => delibApi.move(m.id, { version: m.version, ...b }), onSuccess: refresh });
  if (m.status === 'published') return null;
  return (
    <Card size="small" style={{ marginBottom: 16 }}>
      {m.status === 'planned' && (
        <Button type="primary" onClick={() => move.mutate({ to: 'noticed' })} loading={move.isPending}>
          {t('meeting.notice')}
        </Button>
      )}
      {m.status === 'noticed' && (
        <Button type="primary" onClick={() => move.mutate({ to: 'held' })} loading={move.isPending} data-testid="meeting-hold">
          {t('meeting.hold')}
        </Button>
      )}
      {m.status === 'held' && (
        <Flex vertical gap={8}>
          <Input.TextArea rows={2} value={outcome} onChange={(e) => setOutcome(e.target.value)} placeholder={t('meeting.outcome')} data-testid="meeting-outcome" />
          <Button type="primary" disabled={!outcome.trim()} onClick={() => move.mutate({ to: 'published', outcome })} loading={move.isPending} data-testid="meeting-publish">
            {t('meeting.publish')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}

function AddItem({ meeting: m }: { meeting: Meeting }) {
  const { t } = useLang();
  const refresh = useRefresh();
  const [title, setTitle] = useState('');
  const add = useMutation({ mutationFn: () => delibApi.addItem(m.id, title), onSuccess: () => (setTitle(''), refresh()) });
  return (
    <Flex gap={8} style={{ marginTop: 8 }}>
      <Input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      <Button disabled={title.trim().length < 2} onClick={() => add.mutate()} loading={add.isPending}>
        {t('meeting.addItem')}
      </Button>
    </Flex>
  );
}

function MarkPresent({ meeting: m }: { meeting: Meeting }) {
  const { tc } = useLang();
  const refresh = useRefresh();
  const body = useQuery({ queryKey: delibKeys.body(m.bodyId), queryFn: () => delibApi.body(m.bodyId) });
  const attend = useMutation({ mutationFn: (memberId: string) => delibApi.attend(m.id, memberId), onSuccess: refresh });
  const absent = (body.data?.members ?? []).filter((x) => !m.attendance.some((a) => a.memberId === x.id));
  return (
    <Flex wrap gap={6} style={{ marginTop: 8 }}>
      {absent.map((x) => (
        <Button key={x.id} size="small" onClick={() => attend.mutate(x.id)}>
          + {x.name}（{tc('seat', x.seat)}）
        </Button>
      ))}
    </Flex>
  );
}

function MinutesEditor({ meeting: m }: { meeting: Meeting }) {
  const { t } = useLang();
  const refresh = useRefresh();
  const [text, setText] = useState(m.minutes);
  useEffect(() => setText(m.minutes), [m.minutes]);
  const save = useMutation({ mutationFn: () => delibApi.minutes(m.id, { version: m.version, minutes: text }), onSuccess: refresh });
  const editable = m.canManage && m.status === 'held';
  return (
    <Card title={t('meeting.minutes')} size="small" style={{ marginTop: 16 }}>
      {editable ? (
        <>
          <Input.TextArea rows={6} value={text} onChange={(e) => setText(e.target.value)} data-testid="minutes-editor" />
          <Button style={{ marginTop: 8 }} onClick={() => save.mutate()} loading={save.isPending} disabled={text === m.minutes}>
            {t('meeting.saveMinutes')}
          </Button>
        </>
      ) : (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{m.minutes || '—'}</Typography.Paragraph>
      )}
    </Card>
  );
}
