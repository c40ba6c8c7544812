import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Form, Input, InputNumber, Modal, Select, Space, type FormInstance } from 'antd';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { problemsOf, wfApi, wfCare, yuan, type CareApplication } from './api';

/** Shows the server's refusal at its fields, or as a message when it names none of them. */
function useRefusal() {
  const { message } = App.useApp();
  return (e: unknown, form: FormInstance, fieldOf: Record<string, string> = {}) => {
    if (!isApiError(e)) return void message.error(String(e));
    const known = Object.entries(problemsOf(e))
      .map(([f, reason]) => [fieldOf[f] ?? f, reason] as const)
      .filter(([f]) => f in form.getFieldsValue());
    if (known.length) form.setFields(known.map(([name, reason]) => ({ name, errors: [reason] })));
    else message.error(e.message);
  };
}

/** A care-fund application (关爱基金) made by street or district HR on a worker's behalf. */
export function CareApplyModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const refuse = useRefusal();
  const [form] = Form.useForm();
  const workers = useQuery({ queryKey: ['wf', 'workers', {}], queryFn: () => wfApi.workers({}), enabled: open });
  const submit = async (v: { workerId: string; year: number; amount?: number; reason?: string }) => {
    try {
      await wfCare.applyCare(v.workerId, {
        kind: 'care_fund',
        year: v.year,
        amountFen: Math.round((v.amount ?? 0) * 100),
        reason: v.reason ?? '',
      });
      message.success(t('wf.rec.saved'));
      void qc.invalidateQueries({ queryKey: ['wf', 'carefund'] });
      onClose();
    } catch (e) {
      refuse(e, form, { amountFen: 'amount' });
    }
  };
  return (
    <Modal
      open={open}
      title={t('wf.cf.apply')}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'wf-cf-apply-ok' } as Record<string, string>}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => void submit(v)}
        initialValues={{ year: new Date().getFullYear() }}
      >
        <Form.Item name="workerId" label={t('wf.aw.worker')} rules={[{ required: true }]} extra={t('wf.cf.applyHint')}>
          <Select
            showSearch
            optionFilterProp="name"
            loading={workers.isLoading}
            options={(workers.data ?? []).map((w) => ({ value: w.id, name: w.name, label: `${w.name}（${w.communityName}）` }))}
            data-testid="wf-cf-worker"
          />
        </Form.Item>
        <Form.Item name="year" label={t('wf.hr.year')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} />
        </Form.Item>
        <Form.Item name="amount" label={t('wf.cf.amount')}>
          <InputNumber min={0} precision={2} step={1000} style={{ width: 200 }} data-testid="wf-cf-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('wf.cf.reason')}>
          <Input.TextArea rows={3} maxLength={300} data-testid="wf-cf-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The district's decision on one application: approve, or refuse with a reason the applicant reads. */
export function CareDecideModal({ item, onClose }: { item: CareApplication | null; onClose: () => void }) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const refuse = useRefusal();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const decide = async (approve: boolean) => {
    if (!item) return;
    setBusy(true);
    try {
      const note = (form.getFieldValue('note') as string | undefined)?.trim();
      const r = await wfCare.decideCare(item.id, { version: item.version, approve, ...(note ? { note } : {}) });
      message.success(t('wf.cf.decided', { name: item.name, status: tc('wfCareStatus', r.status) }));
      void qc.invalidateQueries({ queryKey: ['wf', 'carefund'] });
      onClose();
    } catch (e) {
      refuse(e, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={item !== null}
      title={item ? `${t('wf.cf.decide')} · ${item.name}` : ''}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button danger loading={busy} onClick={() => void decide(false)} data-testid="wf-cf-refuse">
            {t('wf.cf.refuse')}
          </Button>
          <Button type="primary" loading={busy} onClick={() => void decide(true)} data-testid="wf-cf-approve">
            {t('wf.cf.approve')}
          </Button>
        </Space>
      }
    >
      {item && (
        <Descriptions size="small" column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('wf.community')}>{item.communityName}</Descriptions.Item>
          <Descriptions.Item label={t('wf.cf.amount')}>{yuan(item.amountFen)}</Descriptions.Item>
          <Descriptions.Item label={t('wf.cf.reason')}>{item.reason}</Descriptions.Item>
        </Descriptions>
      )}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="note" label={t('wf.cf.note')} extra={t('wf.cf.noteHint')}>
          <Input.TextArea rows={2} maxLength={200} data-testid="wf-cf-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
