import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Flex, Form, Input, Modal, Popconfirm, Select, Tag } from 'antd';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { defaultPlace, delibApi, type Body } from './api';

export const BODY_KINDS = ['four_party', 'six_party', 'round_table', 'hall', 'people_hall', 'elders_forum'] as const;
export const SEATS = ['party_org', 'residents_committee', 'property', 'owners_committee', 'co_building_unit', 'social_org', 'resident_rep', 'elder', 'expert', 'other'] as const;

/** A new deliberation body (四方, 六方, 圆桌会议, 议事厅, 百姓议事堂, 四老论坛) for a community or estate. */
export function CreateBodyModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, tc } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ placeCode: string; kind: string; name: string; description?: string }>();
  const m = useMutation({
    mutationFn: delibApi.createBody,
    onSuccess: () => {
      message.success(t('body.created'));
      void qc.invalidateQueries({ queryKey: ['deliberation'] });
      onClose();
    },
  });
  return (
    <Modal open={open} onCancel={onClose} title={t('body.new')} onOk={() => form.submit()} confirmLoading={m.isPending} destroyOnHidden okButtonProps={{ 'data-testid': 'body-create-submit' } as Record<string, string>}>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate(v)} initialValues={{ placeCode: defaultPlace(session?.roles), kind: 'six_party' }}>
        <Form.Item name="placeCode" label={t('body.form.place')} rules={[{ required: true, pattern: /^\d{12}(\d{3}(\d{3})?)?$/, message: t('vote.form.placeInvalid') }]}>
          <Input inputMode="numeric" maxLength={18} data-testid="body-place" />
        </Form.Item>
        <Form.Item name="kind" label={t('body.form.kind')}>
          <Select options={BODY_KINDS.map((k) => ({ value: k, label: tc('bodyKind', k) }))} data-testid="body-kind" />
        </Form.Item>
        <Form.Item name="name" label={t('body.form.name')} rules={[{ required: true, min: 2, max: 60 }]}>
          <Input data-testid="body-name" />
        </Form.Item>
        <Form.Item name="description" label={t('body.form.description')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The seats of a body: tags (removable by a manager) and a one-line form to seat a member. */
export function SeatMembers({ body: b, manage }: { body: Body; manage: boolean }) {
  const { t, tc } = useLang();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ seat: string; name: string; title?: string }>();
  const refresh = () => void qc.invalidateQueries({ queryKey: ['deliberation'] });
  const add = useMutation({
    mutationFn: (v: { seat: string; name: string; title?: string }) => delibApi.addMember(b.id, v),
    onSuccess: () => {
      form.resetFields(['name', 'title']);
      refresh();
    },
  });
  const remove = useMutation({ mutationFn: (memberId: string) => delibApi.removeMember(b.id, memberId), onSuccess: refresh });
  return (
    <>
      <Flex wrap gap={6} style={{ margin: '8px 0 12px' }}>
        {(b.members ?? []).map((m) => (
          <Tag key={m.id}>
            {tc('seat', m.seat)} · {m.name}
            {m.title ? `（${m.title}）` : ''}
            {manage && (
              <Popconfirm title={t('body.removeMember')} onConfirm={() => remove.mutate(m.id)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <a style={{ marginInlineStart: 6 }} aria-label={t('common.delete')}>
                  ×
                </a>
              </Popconfirm>
            )}
          </Tag>
        ))}
      </Flex>
      {manage && (
        <Form form={form} layout="inline" onFinish={(v) => add.mutate(v)} initialValues={{ seat: b.missingSeats[0] ?? 'resident_rep' }} style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item name="seat">
            <Select style={{ width: 140 }} options={SEATS.map((s) => ({ value: s, label: tc('seat', s) }))} data-testid={`seat-select-${b.kind}`} />
          </Form.Item>
          <Form.Item name="name" rules={[{ required: true, message: t('topic.required') }]}>
            <Input placeholder={t('body.form.memberName')} style={{ width: 180 }} data-testid={`seat-name-${b.kind}`} />
          </Form.Item>
          <Form.Item name="title">
            <Input placeholder={t('body.form.memberTitle')} style={{ width: 120 }} />
          </Form.Item>
          <Button htmlType="submit" loading={add.isPending} data-testid={`seat-add-${b.kind}`}>
            {t('body.seatMember')}
          </Button>
        </Form>
      )}
    </>
  );
}
