import { useState } from 'react';
import { Alert, Button, Descriptions, Form, Input, Modal } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { isApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import { registryApi } from './api';

/** Shows an ID number and phone in clear after the user gives a reason; the server audits it. */
export function RevealButton({ personId }: { personId: string }) {
  const { t } = useLang();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<{ idNumber: string; phone: string | null; birthDate: string | null } | null>(null);
  const [form] = Form.useForm<{ reason: string }>();

  const submit = async ({ reason }: { reason: string }) => {
    setBusy(true);
    setError(null);
    try {
      setShown(await registryApi.reveal(personId, reason));
    } catch (e) {
      setError(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setOpen(false);
    setShown(null);
    form.resetFields();
  };

  return (
    <>
      <Button size="small" icon={<EyeOutlined />} onClick={() => setOpen(true)} data-testid="reveal-open">
        {t('registry.reveal')}
      </Button>
      <Modal
        open={open}
        title={t('registry.revealTitle')}
        onCancel={close}
        okText={shown ? t('common.close') : t('registry.revealOk')}
        onOk={() => (shown ? close() : form.submit())}
        confirmLoading={busy}
        cancelButtonProps={{ style: shown ? { display: 'none' } : undefined }}
        destroyOnHidden
      >
        {shown ? (
          <Descriptions
            column={1}
            size="small"
            data-testid="reveal-result"
            items={[
              { key: 'id', label: t('registry.idNumber'), children: <span className="mono">{shown.idNumber}</span> },
              { key: 'phone', label: t('registry.phone'), children: shown.phone ?? '—' },
              { key: 'birth', label: t('registry.birthDate'), children: shown.birthDate ?? '—' },
            ]}
          />
        ) : (
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
            <Alert type="warning" showIcon title={t('registry.revealHint')} style={{ marginBottom: 12 }} />
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Form.Item
              name="reason"
              label={t('registry.revealReason')}
              rules={[{ required: true, min: 2, whitespace: true, message: t('registry.revealReasonRequired') }]}
            >
              <Input.TextArea rows={2} maxLength={200} placeholder={t('registry.revealReasonPh')} data-testid="reveal-reason" />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
