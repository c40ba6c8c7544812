import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Input, Radio, Result, Select, Typography } from 'antd';
import { api, ApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import { servicesApi, type Application } from './api';

interface FreeSlot {
  id: string;
  workerName: string;
  startsAt: string;
  endsAt: string;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const china = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000);
const dayLabel = (iso: string) => {
  const d = china(iso);
  return `${d.toISOString().slice(5, 10)} 周${WEEKDAYS[d.getUTCDay()]}`;
};
const hm = (iso: string) => china(iso).toISOString().slice(11, 16);

/**
 * 预约上门 for residents (phone-sized): pick an item that offers home visits, then a free time in a
 * worker's calendar; the booking and the application are made together, and a time someone else
 * took a moment earlier is refused with a clear message.
 */
export function AppointmentTab() {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const cat = useQuery({ queryKey: ['services', 'catalogue'], queryFn: servicesApi.catalogue });
  const homeItems = useMemo(() => (cat.data?.categories ?? []).flatMap((c) => c.items).filter((i) => i.homeVisit), [cat.data]);
  const [itemId, setItemId] = useState<string>();
  const [slotId, setSlotId] = useState<string>();
  const [note, setNote] = useState('');
  const [done, setDone] = useState<{ application: Application; slot: FreeSlot } | null>(null);
  const [range] = useState(() => ({ from: new Date().toISOString(), to: new Date(Date.now() + 14 * DAY_MS).toISOString() }));
  const slots = useQuery({
    queryKey: ['services', 'slots', 'free', range.from],
    queryFn: () => api.get<{ items: FreeSlot[] }>('/api/services/slots', range),
  });
  const byDay = useMemo(() => {
    const m = new Map<string, FreeSlot[]>();
    for (const s of slots.data?.items ?? []) m.set(dayLabel(s.startsAt), [...(m.get(dayLabel(s.startsAt)) ?? []), s]);
    return [...m];
  }, [slots.data]);

  const submit = async () => {
    if (!itemId || !slotId) return;
    try {
      const r = await api.post<{ application: Application; slot: FreeSlot }>('/api/services/appointments', {
        itemId,
        slotId,
        note: note || undefined,
        idempotencyKey: crypto.randomUUID(),
      });
      setDone(r);
      setSlotId(undefined);
      setNote('');
      void qc.invalidateQueries({ queryKey: ['services'] });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SLOT_UNAVAILABLE') {
        message.warning(t('appt.taken'));
        setSlotId(undefined);
        void slots.refetch();
      } else message.error((e as Error).message);
    }
  };

  if (done) {
    const item = homeItems.find((i) => i.id === itemId);
    return (
      <Result
        status="success"
        data-testid="appointment-done"
        title={<span style={{ fontSize: 18 }}>{t('appt.booked', {
          time: `${dayLabel(done.slot.startsAt)} ${hm(done.slot.startsAt)}–${hm(done.slot.endsAt)}`,
          worker: done.slot.workerName,
          item: item?.name ?? done.application.itemName,
          number: done.application.number,
        })}</span>}
        extra={<Button onClick={() => setDone(null)}>{t('slot.tab')}</Button>}
      />
    );
  }
  return (
    <Flex vertical gap={12} data-testid="appointment">
      <Alert type="info" showIcon message={t('appt.intro')} />
      <Select
        data-testid="appointment-item"
        placeholder={t('appt.pickItem')}
        value={itemId}
        onChange={setItemId}
        options={homeItems.map((i) => ({ value: i.id, label: i.name }))}
        style={{ width: '100%' }}
        size="large"
      />
      <Typography.Text strong>{t('appt.pickSlot')}</Typography.Text>
      {slots.isLoading && <Card loading />}
      {slots.data && !byDay.length && <Empty description={t('appt.noSlots')} />}
      <Radio.Group value={slotId} onChange={(e) => setSlotId(e.target.value as string)} style={{ width: '100%' }}>
        <Flex vertical gap={8}>
          {byDay.map(([day, list]) => (
            <Card key={day} size="small" title={day} styles={{ body: { padding: 8 } }}>
              <Flex wrap gap={8}>
                {list.map((s) => (
                  <Radio.Button key={s.id} value={s.id} style={{ height: 'auto', lineHeight: 1.4, padding: '6px 10px' }}>
                    <span data-testid={`free-slot-${hm(s.startsAt)}`}>
                      {hm(s.startsAt)}–{hm(s.endsAt)}
                      <div style={{ fontSize: 12, color: '#888' }}>{s.workerName}</div>
                    </span>
                  </Radio.Button>
                ))}
              </Flex>
            </Card>
          ))}
        </Flex>
      </Radio.Group>
      <Input.TextArea data-testid="appointment-note" rows={2} placeholder={t('appt.note')} value={note} onChange={(e) => setNote(e.target.value)} />
      <Button type="primary" size="large" block disabled={!itemId || !slotId} onClick={() => void submit()} data-testid="appointment-submit">
        {t('appt.submit')}
      </Button>
    </Flex>
  );
}
