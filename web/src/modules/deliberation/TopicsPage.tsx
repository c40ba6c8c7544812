import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Segmented, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { LikeOutlined, PlusOutlined, ReadOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys, type Topic } from './api';
import { RaiseTopicDrawer } from './RaiseTopicDrawer';
import { SupportButton } from './SupportButton';

export const TOPIC_COLORS: Record<string, string> = { open: 'orange', agenda: 'blue', event: 'purple', replied: 'green', closed: 'default' };

/** 居民说事: the feed a resident reads on a phone, and a worker triages from. */
export default function TopicsPage() {
  const { t, tc, lang } = useLang();
  const { can, session } = useAuth();
  const [order, setOrder] = useState<'new' | 'support' | 'mine'>('new');
  const [raising, setRaising] = useState(false);
  const filter = order === 'mine' ? { mine: true } : { order };
  const topics = useQuery({ queryKey: delibKeys.topics(filter), queryFn: () => delibApi.topics(filter) });
  const participant = can('deliberation.participate');
  const community = session?.roles.find((r) => r.scopeType === 'territory' && r.scopeCode)?.scopeCode?.slice(0, 12);

  return (
    <div className="phone-page">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 12 }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('nav.topics')}
        </Typography.Title>
        <Flex gap={8}>
          {community && (
            <Link to={`/board/${community}`}>
              <Button icon={<ReadOutlined />}>{t('topic.board')}</Button>
            </Link>
          )}
          {participant && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setRaising(true)} data-testid="topic-raise">
              {t('topic.raise')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Segmented
        block
        value={order}
        onChange={(v) => setOrder(v as typeof order)}
        options={[
          { value: 'new', label: t('topic.newest') },
          { value: 'support', label: t('topic.mostSupported') },
          ...(participant ? [{ value: 'mine', label: t('topic.mine') }] : []),
        ]}
        style={{ marginBottom: 12 }}
      />
      {topics.isPending ? (
        <Skeleton active />
      ) : !topics.data?.length ? (
        <Empty description={t('topic.empty')} />
      ) : (
        <Flex vertical gap={10}>
          {topics.data.map((x: Topic) => (
            <Card key={x.id} size="small" data-testid={`topic-${x.id}`}>
              <Flex justify="space-between" align="start" gap={8}>
                <Link to={`/topics/${x.id}`} style={{ fontWeight: 600, fontSize: 16 }}>
                  {x.title}
                </Link>
                <Tag color={TOPIC_COLORS[x.status]} style={{ marginInlineEnd: 0 }}>
                  {tc('topicStatus', x.status)}
                </Tag>
              </Flex>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '6px 0' }}>
                {x.body}
              </Typography.Paragraph>
              <Flex justify="space-between" align="center" gap={8}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('topic.raisedBy', { name: x.raisedByName, time: formatDateTime(x.createdAt, lang) })}
                </Typography.Text>
                {participant ? (
                  <SupportButton topic={x} />
                ) : (
                  <Typography.Text type="secondary">
                    <LikeOutlined /> {x.supportCount}
                  </Typography.Text>
                )}
              </Flex>
            </Card>
          ))}
        </Flex>
      )}
      <RaiseTopicDrawer open={raising} onClose={() => setRaising(false)} />
    </div>
  );
}
