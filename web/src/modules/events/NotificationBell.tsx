import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { eventApi, eventKeys } from './api';
import { formatTime } from './format';

/** The inbox bell: the unread count arrives live over server-sent events; the list opens on click. */
export function NotificationBell() {
  const { t } = useLang();
  const queryClient = useQueryClient();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const list = useQuery({ queryKey: eventKeys.notifications, queryFn: eventApi.notifications, enabled: open });

  useEffect(() => {
    const source = new EventSource('/api/notifications/stream');
    source.addEventListener('unread', (e) => {
      const n = (JSON.parse((e as MessageEvent).data) as { unread: number }).unread;
      setUnread(n);
      void queryClient.invalidateQueries({ queryKey: eventKeys.notifications });
    });
    return () => source.close();
  }, [queryClient]);

  const content = (
    <div style={{ width: 300, maxWidth: '80vw' }}>
      <List
        size="small"
        dataSource={list.data?.items ?? []}
        loading={list.isLoading}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('events.noNotifications')} /> }}
        renderItem={(n) => (
          <List.Item>
            <div>
              {n.eventId ? (
                <Link to={`/events/${n.eventId}`} onClick={() => setOpen(false)} style={{ fontWeight: n.read ? 400 : 600 }}>
                  {n.title}
                </Link>
              ) : (
                <Typography.Text strong={!n.read}>{n.title}</Typography.Text>
              )}
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatTime(n.createdAt)}
                </Typography.Text>
              </div>
            </div>
          </List.Item>
        )}
      />
      <Button
        size="small"
        block
        onClick={() =>
          void eventApi.markRead().then((r) => {
            setUnread(r.unread);
            void queryClient.invalidateQueries({ queryKey: eventKeys.notifications });
          })
        }
      >
        {t('events.markAllRead')}
      </Button>
    </div>
  );

  return (
    <Popover content={content} title={t('events.notifications')} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight">
      <Badge count={unread} size="small" offset={[-2, 2]}>
        <Button size="small" type="text" icon={<BellOutlined />} aria-label={t('events.notifications')} data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
