import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Flex, Form, Input, Modal, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { api, isApiError } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { showError } from '../../app/feedback';
import { eventKeys, type EventDetail } from './api';

interface LinkedCase {
  id: string;
  number: string;
  state: 'open' | 'agreed' | 'failed';
  mediatorName: string;
}

const STATE_COLOR = { open: 'blue', agreed: 'green', failed: 'default' } as const;

/**
 * 矛盾一键化解: on a dispute event, the case it went to mediation under, or one button that opens
 * it with what the event already says (title, place, the reporter as applicant).
 */
export function MediateFromEvent({ event }: { event: EventDetail }) {
  const { t, tc } = useLang();
  const { session, can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const dispute = event.categoryCode.startsWith('dispute');
  const allowed = can('event.handle');
  const cases = useQuery({
    queryKey: ['mediation', 'event', event.id],
    queryFn: () => api.get<{ items: LinkedCase[] }>(`/api/mediation?eventId=${event.id}`).then((r) => r.items),
    enabled: allowed && dispute,
  });
  if (!allowed || !dispute) return null;

  const submit = async (v: { title: string; applicant: string; respondent: string; mediatorName: string }) => {
    setSaving(true);
    try {
      const created = await api.post<{ id: string }>('/api/mediation', {
        placeCode: event.placeCode,
        title: v.title,
        kind: event.categoryCode.split('.')[1] ?? 'neighbour',
        eventId: event.id,
        mediatorName: v.mediatorName,
        parties: [
          { side: 'applicant', name: v.applicant },
          { side: 'respondent', name: v.respondent },
        ],
      });
      void queryClient.invalidateQueries({ queryKey: ['mediation'] });
      void queryClient.invalidateQueries({ queryKey: eventKeys.all });
      navigate(`/mediation?case=${created.id}`);
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('med.fromEvent')} data-testid="event-mediation">
      <Flex gap={8} wrap align="center">
        {(cases.data ?? []).map((c) => (
          <Link key={c.id} to={`/mediation?case=${c.id}`} data-testid="event-mediation-case">
            <Tag color={STATE_COLOR[c.state]}>
              {c.number} · {tc('med.state', c.state)} · {c.mediatorName}
            </Tag>
          </Link>
        ))}
        {cases.data?.length === 0 && <Typography.Text type="secondary">{t('med.fromEventHint')}</Typography.Text>}
        <Button type={cases.data?.length ? 'default' : 'primary'} onClick={() => setOpen(true)} data-testid="event-mediate">
          {t('med.oneClick')}
        </Button>
      </Flex>
      {open && (
        <Modal open title={t('med.oneClick')} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
          <Form
            layout="vertical"
            initialValues={{
              title: event.title,
              applicant: event.anonymous ? '' : (event.reporterName ?? ''),
              mediatorName: session?.user.displayName ?? '',
            }}
            onFinish={(v) => void submit(v)}
          >
            <Form.Item name="title" label={t('events.titleField')} rules={[{ required: true, min: 2 }]}>
              <Input data-testid="mediate-title" />
            </Form.Item>
            <Form.Item label={t('events.place')}>
              <Typography.Text>{event.placeName}</Typography.Text>
            </Form.Item>
            <Form.Item name="applicant" label={t('med.applicant')} rules={[{ required: true }]}>
              <Input data-testid="mediate-applicant" />
            </Form.Item>
            <Form.Item name="respondent" label={t('med.respondent')} rules={[{ required: true }]}>
              <Input data-testid="mediate-respondent" />
            </Form.Item>
            <Form.Item name="mediatorName" label={t('med.mediator')} rules={[{ required: true }]}>
              <Input data-testid="mediate-mediator" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={saving} data-testid="mediate-submit">
              {t('med.oneClickSubmit')}
            </Button>
          </Form>
        </Modal>
      )}
    </Card>
  );
}
