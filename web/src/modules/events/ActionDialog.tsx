import { useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Button, Flex, Form, Image, Input, InputNumber, Modal, Rate, Select } from 'antd';
import { CameraOutlined } from '@ant-design/icons';
import { isApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import { showError, showSuccess } from '../../app/feedback';
import { eventApi, fileToDataUrl, type ActionBody, type EventAction, type EventDetail } from './api';

const NEEDS_NOTE = new Set<EventAction>(['return', 'suspend', 'deny_suspend', 'reject', 'reopen', 'supervise', 'note', 'handle']);

interface Values {
  note?: string;
  satisfaction?: number;
  leadOrgId?: string;
  assistOrgIds?: string[];
  mergeNumber?: string;
  dueDays?: number;
}

/** One step of the loop: asks for what the step needs (a reason, photos, departments, a rating) and sends it. */
export function ActionDialog({ event, action, onClose, onDone }: { event: EventDetail; action: EventAction; onClose: () => void; onDone: () => void }) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const departments = useQuery({
    queryKey: ['events', 'departments', event.districtCode],
    queryFn: () => eventApi.departments(event.districtCode),
    enabled: action === 'whistle',
  });

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const body: ActionBody = { version: event.version, note: v.note };
      if (action === 'handle' || photos.length) body.photos = photos;
      if (action === 'evaluate') body.satisfaction = v.satisfaction;
      if (action === 'whistle') {
        body.leadOrgId = v.leadOrgId;
        body.assistOrgIds = v.assistOrgIds ?? [];
      }
      if (action === 'supervise') body.dueDays = v.dueDays ?? 1;
      if (action === 'merge') body.targetId = (await eventApi.track(String(v.mergeNumber).trim())).id;
      await eventApi.act(event.id, action, body);
      showSuccess(t('events.done', { action: tc('events.action', action) }));
      onDone();
    } catch (e) {
      showError(isApiError(e) ? e.message : String(e));
      if (isApiError(e) && (e.status === 409 || e.status === 403)) onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={tc('events.action', action)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'action-confirm' } as never}
      destroyOnHidden
    >
      <Form<Values> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ satisfaction: 5, dueDays: 1 }}>
        {action === 'whistle' && (
          <>
            <Form.Item name="leadOrgId" label={t('events.leadDept')} rules={[{ required: true }]}>
              <Select
                loading={departments.isLoading}
                options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                data-testid="action-lead"
                showSearch
                optionFilterProp="label"
              />
            </Form.Item>
            <Form.Item name="assistOrgIds" label={t('events.assistDepts')}>
              <Select mode="multiple" options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))} data-testid="action-assist" optionFilterProp="label" />
            </Form.Item>
          </>
        )}
        {action === 'evaluate' && (
          <Form.Item name="satisfaction" label={t('events.satisfaction')} rules={[{ required: true }]}>
            <Rate data-testid="action-rate" />
          </Form.Item>
        )}
        {action === 'merge' && (
          <Form.Item name="mergeNumber" label={t('events.mergeTarget')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {action === 'supervise' && (
          <Form.Item name="dueDays" label={t('events.dueDays')}>
            <InputNumber min={1} max={30} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('events.note')} rules={NEEDS_NOTE.has(action) ? [{ required: true, message: t('events.noteRequired') }] : []}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="action-note" />
        </Form.Item>
        {(action === 'handle' || action === 'note') && (
          <Form.Item label={t('events.photos')} extra={t('events.photoHint')}>
            <Flex gap={8} wrap>
              {photos.map((p, i) => (
                <Image key={i} src={p} width={64} height={64} style={{ objectFit: 'cover', borderRadius: 6 }} />
              ))}
              <Button icon={<CameraOutlined />} style={{ width: 64, height: 64 }} onClick={() => fileInput.current?.click()} aria-label={t('events.addPhoto')} />
            </Flex>
            <input
              ref={fileInput}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              multiple
              style={{ display: 'none' }}
              data-testid="action-photo-input"
              onChange={(e) => void Promise.all([...(e.target.files ?? [])].map(fileToDataUrl)).then((a) => setPhotos((p) => [...p, ...a]))}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
