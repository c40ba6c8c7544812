import { useEffect } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Form, Input, Modal, Typography, type ButtonProps } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { orgApi, type Org } from './api';

interface EditForm {
  name: string;
  contactName?: string;
}

/** Change an organisation's name and contact; the version it was read at guards against lost updates (409). */
export function EditOrgModal({ org, onClose, onSaved }: { org: Org | null; onClose: () => void; onSaved: () => void }) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<EditForm>();
  // reload the form when another organisation is opened or the record's version moves on
  useEffect(() => {
    if (org) form.setFieldsValue({ name: org.name, contactName: org.contactName ?? '' });
  }, [org?.id, org?.version]);

  const save = useMutation({
    mutationFn: (v: EditForm) =>
      orgApi.patch(org!.id, { version: org!.version, name: v.name.trim(), contactName: v.contactName?.trim() || null }),
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
      onClose();
    },
  });

  return (
    <Modal
      open={!!org}
      title={org ? t('orgs.editTitle', { name: org.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'org-edit-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      forceRender
    >
      {org && (
        <Typography.Paragraph type="secondary">
          {[tc('orgKind', org.kind), org.territoryName || org.territoryCode].filter(Boolean).join(' · ')}
        </Typography.Paragraph>
      )}
      <Form<EditForm> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item
          name="name"
          label={t('orgs.name')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('orgs.nameRule') }]}
        >
          <Input autoComplete="off" data-testid="org-edit-name" />
        </Form.Item>
        <Form.Item name="contactName" label={t('orgs.contact')} rules={[{ max: 40, message: t('orgs.contactRule') }]}>
          <Input autoComplete="off" data-testid="org-edit-contact" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
