import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Empty, Flex, Popconfirm, Select, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { servicesApi } from './api';

interface Slot {
  id: string;
  communityCode: string;
  workerUserId: string;
  workerName: string;
  startsAt: string;
  endsAt: string;
  state: 'open' | 'booked' | 'cancelled';
  booked: boolean;
  note: string;
  version: number;
}

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'];
const TIMES = ['08:30', '09:00', '10:00', '11:00', '14:00', '15:00', '16:00'];
/** The Monday of the week a day falls in, in China time. */
const mondayOf = (d: Dayjs) => d.startOf('day').subtract((d.day() + 6) % 7, 'day');
const hm = (iso: string) =>
  new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
const ymd = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

/** 预约上门: a worker's home-visit calendar, one week at a time; open new slots, cancel open ones. */
export function SlotsTab() {
  const { t } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const community = useQuery({ queryKey: ['services', 'catalogue'], queryFn: servicesApi.catalogue }).data?.community;
  const [week, setWeek] = useState(() => mondayOf(dayjs()));
  const [worker, setWorker] = useState<string>(String(session?.user.id ?? ''));
  const from = week.toISOString();
  const to = week.add(7, 'day').toISOString();
  const all = useQuery({
    queryKey: ['services', 'slots', community?.code, from],
    queryFn: () => api.get<{ items: Slot[] }>('/api/services/slots', { communityCode: community!.code, from, to }),
    enabled: !!community,
  });
  const workers = new Map<string, string>([[String(session?.user.id ?? ''), t('slot.me')]]);
  for (const s of all.data?.items ?? []) if (!workers.has(s.workerUserId)) workers.set(s.workerUserId, s.workerName);
  const slots = (all.data?.items ?? []).filter((s) => s.workerUserId === worker);
  const days = Array.from({ length: 7 }, (_, i) => week.add(i, 'day'));

  const [day, setDay] = useState<Dayjs | null>(null);
  const [times, setTimes] = useState<string[]>([]);
  const open = async () => {
    if (!community || !day || !times.length) return;
    try {
      await api.post('/api/services/slots', {
        communityCode: community.code,
        slots: times.map((h) => {
          const start = new Date(`${day.format('YYYY-MM-DD')}T${h}:00+08:00`);
          return { startsAt: start.toISOString(), endsAt: new Date(start.getTime() + 3600_000).toISOString() };
        }),
      });
      message.success(t('slot.opened', { n: times.length }));
      setTimes([]);
      setWeek(mondayOf(day));
      void qc.invalidateQueries({ queryKey: ['services', 'slots'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const cancel = async (s: Slot) => {
    try {
      await api.post(`/api/services/slots/${s.id}/cancel`);
      void qc.invalidateQueries({ queryKey: ['services', 'slots'] });
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  return (
    <Flex vertical gap={12} data-testid="slots">
      <Flex gap={8} wrap align="center" justify="space-between">
        <Flex gap={8} align="center">
          <Button onClick={() => setWeek(week.subtract(7, 'day'))} data-testid="slots-prev">
            {t('slot.prevWeek')}
          </Button>
          <Typography.Text strong data-testid="slots-week">
            {week.format('YYYY-MM-DD')} – {week.add(6, 'day').format('MM-DD')}
          </Typography.Text>
          <Button onClick={() => setWeek(week.add(7, 'day'))} data-testid="slots-next">
            {t('slot.nextWeek')}
          </Button>
        </Flex>
        <Select
          data-testid="slots-worker"
          value={worker}
          onChange={setWorker}
          style={{ minWidth: 160 }}
          options={[...workers].map(([value, label]) => ({ value, label }))}
        />
      </Flex>
      <Card size="small" title={t('slot.openTitle')}>
        <Flex gap={8} wrap>
          <DatePicker value={day} onChange={setDay} disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} data-testid="slots-day" />
          <Select
            mode="multiple"
            data-testid="slots-times"
            value={times}
            onChange={setTimes}
            placeholder={t('slot.times')}
            style={{ minWidth: 240 }}
            options={TIMES.map((h) => ({ value: h, label: `${h}（1小时）` }))}
          />
          <Button type="primary" onClick={open} disabled={!day || !times.length} data-testid="slots-open">
            {t('slot.open')}
          </Button>
        </Flex>
      </Card>
      {all.isLoading && <Card loading />}
      <div data-testid="slots-calendar" style={{ display: 'grid', gap: 8, gridTemplateColumns: 'repeat(auto-fit, minmax(150px, 1fr))' }}>
        {days.map((d, i) => {
          const list = slots.filter((s) => ymd(s.startsAt) === d.format('YYYY-MM-DD'));
          return (
            <Card key={i} size="small" title={`周${WEEKDAYS[i]} ${d.format('MM-DD')}`} styles={{ body: { padding: 8, minHeight: 80 } }}>
              {list.length ? (
                <Flex vertical gap={6}>
                  {list.map((s) => (
                    <div key={s.id} data-testid={`slot-${d.format('MM-DD')}-${hm(s.startsAt)}`}>
                      <Typography.Text>
                        {hm(s.startsAt)}–{hm(s.endsAt)}
                      </Typography.Text>{' '}
                      {s.state === 'booked' ? <Tag color="green">{t('slot.booked')}</Tag> : <Tag color="blue">{t('slot.free')}</Tag>}
                      {s.note && <div style={{ fontSize: 12, color: '#888' }}>{s.note}</div>}
                      {s.state === 'open' && s.workerUserId === String(session?.user.id) && (
                        <Popconfirm title={t('slot.cancelConfirm')} onConfirm={() => cancel(s)}>
                          <Button size="small" type="link" danger>
                            {t('slot.cancel')}
                          </Button>
                        </Popconfirm>
                      )}
                    </div>
                  ))}
                </Flex>
              ) : (
                <Typography.Text type="secondary">{t('slot.none')}</Typography.Text>
              )}
            </Card>
          );
        })}
      </div>
      {all.data && !slots.length && <Empty description={t('slot.emptyWeek')} />}
    </Flex>
  );
}
