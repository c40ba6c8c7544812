import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Image, Input, Radio, Result, Select, Skeleton, Steps, Tag, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys, type Topic } from './api';
import { SupportButton } from './SupportButton';
import { TOPIC_COLORS } from './TopicsPage';
import { eventApi, eventKeys } from '../events/api';

export default function TopicPage() {
  const { id = '' } = useParams();
  const { t, tc, lang } = useLang();
  const { can } = useAuth();
  const topic = useQuery({ queryKey: delibKeys.topic(id), queryFn: () => delibApi.topic(id) });
  if (topic.isPending) return <Skeleton active />;
  if (topic.isError) return <Result status="404" title={topic.error.message} />;
  const x = topic.data;
  const step = x.status === 'open' ? 0 : x.status === 'agenda' || x.status === 'event' ? 1 : 2;

  return (
    <div className="phone-page">
      <Card>
        <Flex justify="space-between" align="start" gap={8}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {x.title}
          </Typography.Title>
          <Tag color={TOPIC_COLORS[x.status]} data-testid="topic-status">
            {tc('topicStatus', x.status)}
          </Tag>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {x.communityName} · {t('topic.raisedBy', { name: x.raisedByName, time: formatDateTime(x.createdAt, lang) })}
        </Typography.Text>
        <Typography.Paragraph style={{ marginTop: 12, whiteSpace: 'pre-wrap' }}>{x.body}</Typography.Paragraph>
        {x.photoCount > 0 && (
          <Image.PreviewGroup>
            <Flex gap={8} wrap>
              {Array.from({ length: x.photoCount }, (_, i) => (
                <Image key={i} width={96} height={96} style={{ objectFit: 'cover' }} src={`/api/deliberation/topics/${x.id}/photos/${i + 1}`} />
              ))}
            </Flex>
          </Image.PreviewGroup>
        )}
        <Flex justify="space-between" align="center" style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('topic.supports', { n: x.supportCount })}</Typography.Text>
          {can('deliberation.participate') && <SupportButton topic={x} />}
        </Flex>
      </Card>

      <Card title={t('topic.outcome')} style={{ marginTop: 12 }}>
        <Steps
          size="small"
          direction="vertical"
          current={step}
          items={[
            { title: tc('topicStatus', 'open') },
            { title: x.status === 'event' ? tc('topicStatus', 'event') : tc('topicStatus', 'agenda') },
            { title: x.status === 'closed' ? tc('topicStatus', 'closed') : tc('topicStatus', 'replied') },
          ]}
        />
        {x.meeting && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 8 }}
            message={
              can('deliberation.read') ? (
                <Link to={`/meetings/${x.meeting.id}`}>{t('topic.onAgenda', { title: x.meeting.title })}</Link>
              ) : (
                t('topic.onAgenda', { title: x.meeting.title })
              )
            }
            description={x.meeting.scheduledAt ? formatDateTime(x.meeting.scheduledAt, lang) : undefined}
          />
        )}
        {x.status === 'event' && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 8 }}
            message={t('topic.asEvent')}
            description={x.eventId ? <Link to={`/events/${x.eventId}`} data-testid="topic-event-link">{x.eventRef}</Link> : x.eventRef}
          />
        )}
        {x.reply && <Alert type="success" showIcon message={x.reply} data-testid="topic-reply" />}
      </Card>

      {can('deliberation.manage') && x.status !== 'closed' && <TriageCard topic={x} />}
    </div>
  );
}

function TriageCard({ topic }: { topic: Topic }) {
  const { t, lang } = useLang();
  const qc = useQueryClient();
  const [action, setAction] = useState<string>(topic.status === 'open' ? 'agenda' : 'reply');
  const meetings = useQuery({ queryKey: delibKeys.meetings(), queryFn: () => delibApi.meetings() });
  const categories = useQuery({ queryKey: eventKeys.categories, queryFn: eventApi.categories, enabled: action === 'event' });
  const open = (meetings.data ?? []).filter((m) => m.status === 'planned' || m.status === 'noticed');
  const m = useMutation({
    mutationFn: (v: { meetingId?: string; reply?: string; eventRef?: string; categoryCode?: string }) => delibApi.triage(topic.id, { version: topic.version, action, ...v }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['deliberation'] }),
  });
  const actions = topic.status === 'open' ? ['agenda', 'event', 'reply', 'close'] : ['reply', 'close'];
  const label: Record<string, string> = { agenda: t('topic.toAgenda'), event: t('topic.toEvent'), reply: t('topic.toReply'), close: t('topic.toClose') };
  return (
    <Card title={t('topic.triage')} style={{ marginTop: 12 }} data-testid="triage-card">
      <Form layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item label={t('topic.triageAction')}>
          <Radio.Group value={action} onChange={(e) => setAction(e.target.value)} optionType="button" buttonStyle="solid" options={actions.map((a) => ({ value: a, label: label[a] }))} />
        </Form.Item>
        {action === 'agenda' && (
          <Form.Item name="meetingId" label={t('topic.meeting')} rules={[{ required: true, message: t('topic.required') }]}>
            <Select
              data-testid="triage-meeting"
              options={open.map((o) => ({ value: o.id, label: `${o.title}（${formatDateTime(o.scheduledAt, lang)}）` }))}
            />
          </Form.Item>
        )}
        {action === 'event' && (
          <Form.Item name="categoryCode" label={t('topic.eventCategory')} extra={t('topic.eventCategoryHint')} rules={[{ required: true, message: t('topic.required') }]}>
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="triage-category"
              options={(categories.data ?? []).filter((c) => c.parentCode).map((c) => ({ value: c.code, label: lang === 'zh' ? c.name : c.nameEn }))}
            />
          </Form.Item>
        )}
        {(action === 'reply' || action === 'event') && (
          <Form.Item name="reply" label={t('topic.reply')} rules={action === 'reply' ? [{ required: true, message: t('topic.required') }] : []}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" loading={m.isPending} data-testid="triage-submit">
          {t('common.confirm')}
        </Button>
      </Form>
    </Card>
  );
}
