import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Flex, Form, Input, List, Modal, Skeleton, Tag, Typography } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { formatDateTime } from '../../app/format';
import { delibApi, delibKeys, type Body } from './api';
import { BoardAdminCard } from './BoardAdminCard';
import { CreateBodyModal, SeatMembers } from './BodyForms';

export const MEETING_COLORS: Record<string, string> = { planned: 'default', noticed: 'blue', held: 'orange', published: 'green' };

/** Deliberation bodies with their seats, and their meetings. */
export default function MeetingsPage() {
  const { t } = useLang();
  const { can } = useAuth();
  const [creating, setCreating] = useState(false);
  const bodies = useQuery({ queryKey: delibKeys.bodies, queryFn: delibApi.bodies });
  return (
    <div>
      <Flex justify="space-between" align="center">
        <Typography.Title level={3}>{t('body.title')}</Typography.Title>
        {can('deliberation.manage') && (
          <Button icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="body-new">
            {t('body.new')}
          </Button>
        )}
      </Flex>
      <CreateBodyModal open={creating} onClose={() => setCreating(false)} />
      {can('deliberation.manage') && <BoardAdminCard />}
      {bodies.isPending ? (
        <Skeleton active />
      ) : !bodies.data?.length ? (
        <Empty />
      ) : (
        <Flex vertical gap={16}>
          {bodies.data.map((b) => (
            <BodyCard key={b.id} body={b} />
          ))}
        </Flex>
      )}
    </div>
  );
}

function BodyCard({ body }: { body: Body }) {
  const { t, tc, lang } = useLang();
  const { can } = useAuth();
  const [planning, setPlanning] = useState(false);
  const detail = useQuery({ queryKey: delibKeys.body(body.id), queryFn: () => delibApi.body(body.id) });
  const b = detail.data ?? body;
  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap>
          <span>{b.name}</span>
          <Tag color="geekblue">{tc('bodyKind', b.kind)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal' }}>
            {b.communityName}
          </Typography.Text>
        </Flex>
      }
      extra={
        can('deliberation.manage') && (
          <Button size="small" icon={<PlusOutlined />} onClick={() => setPlanning(true)}>
            {t('body.newMeeting')}
          </Button>
        )
      }
      data-testid={`body-${b.kind}`}
    >
      {b.description && <Typography.Paragraph type="secondary">{b.description}</Typography.Paragraph>}
      {b.missingSeats.length ? (
        <Alert type="warning" showIcon message={t('body.missingSeats', { seats: b.missingSeats.map((s) => tc('seat', s)).join('、') })} style={{ marginBottom: 12 }} />
      ) : null}
      <Typography.Text strong>{t('body.members')}</Typography.Text>
      <SeatMembers body={b} manage={can('deliberation.manage')} />
      <Typography.Text strong>{t('body.meetings')}</Typography.Text>
      <List
        size="small"
        dataSource={b.meetings ?? []}
        locale={{ emptyText: t('meeting.empty') }}
        renderItem={(m) => (
          <List.Item extra={<Tag color={MEETING_COLORS[m.status]}>{tc('meetingStatus', m.status)}</Tag>}>
            <List.Item.Meta title={<Link to={`/meetings/${m.id}`}>{m.title}</Link>} description={`${formatDateTime(m.scheduledAt, lang)} · ${m.location}`} />
          </List.Item>
        )}
      />
      <PlanMeetingModal bodyId={b.id} open={planning} onClose={() => setPlanning(false)} />
    </Card>
  );
}

function PlanMeetingModal({ bodyId, open, onClose }: { bodyId: string; open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ title: string; when: Dayjs; location: string; agenda: string }>();
  const m = useMutation({
    mutationFn: (v: { title: string; when: Dayjs; location: string; agenda?: string }) =>
      delibApi.createMeeting(bodyId, {
        title: v.title,
        scheduledAt: v.when.toISOString(),
        location: v.location,
        agenda: (v.agenda ?? '').split('\n').map((s) => s.trim()).filter(Boolean),
      }),
    onSuccess: (meeting) => {
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
      onClose();
      navigate(`/meetings/${meeting.id}`);
    },
  });
  return (
    <Modal open={open} onCancel={onClose} title={t('body.newMeeting')} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)}>
        <Form.Item name="title" label={t('meeting.title')} rules={[{ required: true, min: 2 }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="when" label={t('meeting.when')} rules={[{ required: true }]}>
          <DatePicker showTime format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="location" label={t('meeting.where')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="agenda" label={t('meeting.agenda')} extra={t('meeting.agendaHint')}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
