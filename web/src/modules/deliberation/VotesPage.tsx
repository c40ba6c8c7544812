import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { CheckCircleFilled, PlusOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys } from './api';
import { CreateVoteDrawer } from './CreateVoteDrawer';

export const VOTE_COLORS: Record<string, string> = { draft: 'default', open: 'blue', closed: 'green' };

export default function VotesPage() {
  const { t, tc, lang } = useLang();
  const { can } = useAuth();
  const [creating, setCreating] = useState(false);
  const votes = useQuery({ queryKey: delibKeys.votes, queryFn: delibApi.votes });
  return (
    <div className="phone-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={3}>{t('vote.list')}</Typography.Title>
        {can('deliberation.manage') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="vote-new">
            {t('vote.new')}
          </Button>
        )}
      </Flex>
      <CreateVoteDrawer open={creating} onClose={() => setCreating(false)} />
      {votes.isPending ? (
        <Skeleton active />
      ) : !votes.data?.length ? (
        <Empty description={t('vote.empty')} />
      ) : (
        <Flex vertical gap={10}>
          {votes.data.map((v) => (
            <Link key={v.id} to={`/votes/${v.id}`} data-testid={`vote-${v.id}`}>
              <Card size="small" hoverable>
                <Flex justify="space-between" gap={8}>
                  <Typography.Text strong>{v.title}</Typography.Text>
                  <Tag color={VOTE_COLORS[v.status]} style={{ marginInlineEnd: 0 }}>
                    {tc('voteStatus', v.status)}
                  </Tag>
                </Flex>
                <Flex justify="space-between" style={{ marginTop: 6 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(v.kind === 'owners' ? 'vote.kind.owners' : 'vote.kind.selection')} ·{' '}
                    {t('vote.window', { from: formatDateTime(v.opensAt, lang), to: formatDateTime(v.closesAt, lang) })}
                  </Typography.Text>
                  {v.voted && <CheckCircleFilled style={{ color: '#389e0d' }} aria-label={t('vote.voted')} />}
                </Flex>
              </Card>
            </Link>
          ))}
        </Flex>
      )}
    </div>
  );
}
