import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Input, List, Segmented, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { showError } from '../../app/feedback';
import { DEADLINE_COLORS, STATE_COLORS, eventApi, eventKeys, type EventItem } from './api';
import { formatTime } from './format';

const STAFF_BOXES = ['todo', 'due_soon', 'overdue', 'watched', 'all'] as const;

/** Each role's inbox (to do, due soon, overdue, watched); a resident's own reports and tracking by number. */
export default function EventsPage() {
  const { t, tc } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const staff = can('event.read');
  const [params, setParams] = useSearchParams();
  const box = params.get('box') ?? (staff ? 'todo' : 'mine');
  const [number, setNumber] = useState('');
  const list = useQuery({ queryKey: eventKeys.list(box, ''), queryFn: () => eventApi.list(box), refetchInterval: 30_000 });

  const track = async () => {
    const n = number.trim();
    if (!n) return;
    try {
      const e = await eventApi.track(n);
      navigate(`/events/${e.id}`);
    } catch {
      showError(t('events.notFound'));
    }
  };

  return (
    <Flex vertical gap={12}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} className="page-title" style={{ margin: 0 }}>
          {t('events.title')}
        </Typography.Title>
        {can('event.report') && (
          <Link to="/events/report">
            <Button type="primary" icon={<PlusOutlined />} data-testid="event-report-button">
              {t('events.report')}
            </Button>
          </Link>
        )}
      </Flex>
      <Card size="small">
        <Flex vertical gap={12}>
          <Segmented
            block
            value={box}
            onChange={(v) => setParams({ box: String(v) })}
            options={(staff ? [...STAFF_BOXES] : ['mine']).map((b) => ({ value: b, label: t(`events.box.${b}` as 'events.box.todo') }))}
            data-testid="event-boxes"
            style={{ overflowX: 'auto' }}
          />
          <Input.Search
            placeholder={t('events.trackPlaceholder')}
            enterButton={t('events.track')}
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            onSearch={() => void track()}
            data-testid="event-track"
          />
          <List<EventItem>
            loading={list.isLoading}
            dataSource={list.data ?? []}
            locale={{ emptyText: <Empty description={t('events.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
            renderItem={(e) => (
              <List.Item key={e.id} data-testid={`event-row-${e.number}`}>
                <Link to={`/events/${e.id}`} style={{ display: 'block', width: '100%' }}>
                  <Flex justify="space-between" gap={8} wrap>
                    <Typography.Text strong ellipsis style={{ maxWidth: '100%' }}>
                      {e.title}
                    </Typography.Text>
                    <Flex gap={4} wrap>
                      <Tag color={STATE_COLORS[e.state]}>{tc('events.stateName', e.state)}</Tag>
                      {e.deadline !== 'none' && <Tag color={DEADLINE_COLORS[e.deadline]}>{tc('events.deadline', e.deadline)}</Tag>}
                      {e.supervisedCount > 0 && <Tag color="volcano">{t('events.supervised', { n: e.supervisedCount })}</Tag>}
                    </Flex>
                  </Flex>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.number} · {e.categoryName} · {tc('events.levelName', e.level)} · {e.placeName} · {formatTime(e.reportedAt)}
                  </Typography.Text>
                </Link>
              </List.Item>
            )}
          />
        </Flex>
      </Card>
    </Flex>
  );
}
