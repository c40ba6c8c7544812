import { useEffect } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Form, Input, InputNumber, Modal, Select, Switch, type ButtonProps } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { registryApi, type Link } from './api';
import { maxLength, showServerProblems } from './forms';

/** A person's link to a house (人房关系): add one, or change relation, share, or record moving out. */

interface LinkFormValues {
  houseCode: string;
  relation: string;
  headRelation?: string;
  resides: boolean;
  share?: number | null;
  moveIn?: string;
  moveOut?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function LinkFormModal({
  open,
  personId,
  link,
  onClose,
  onSaved,
}: {
  open: boolean;
  personId: string;
  link?: Link | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<LinkFormValues>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (link)
      form.setFieldsValue({ relation: link.relation, headRelation: link.headRelation, resides: link.resides, share: link.share, moveOut: link.moveOut ?? '' });
    else form.setFieldsValue({ relation: 'family', resides: true });
  }, [open, link?.id, link?.version]);

  const save = useMutation({
    mutationFn: (v: LinkFormValues) => {
      const share = v.relation === 'owner' ? (v.share ?? null) : null;
      if (link)
        return registryApi.updateLink(personId, link.id, {
          version: link.version,
          relation: v.relation,
          headRelation: (v.headRelation ?? '').trim(),
          resides: v.resides,
          share,
          moveOut: (v.moveOut ?? '').trim() || null,
        });
      return registryApi.addLink(personId, {
        houseCode: v.houseCode.trim(),
        relation: v.relation,
        headRelation: (v.headRelation ?? '').trim() || undefined,
        resides: v.resides,
        share,
        moveIn: (v.moveIn ?? '').trim() || undefined,
      });
    },
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
      onClose();
    },
    onError: (e) => showServerProblems(form, e, ['houseCode', 'relation', 'headRelation', 'share', 'moveIn', 'moveOut']),
  });

  return (
    <Modal
      open={open}
      title={link ? t('registry.form.editLink', { address: link.address }) : t('registry.form.newLink')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'link-form-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form<LinkFormValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {!link && (
          <Form.Item name="houseCode" label={t('registry.form.houseCode')} rules={[{ required: true, pattern: /^\d{24}$/, message: t('registry.form.houseCodeRule') }]}>
            <Input className="mono" autoComplete="off" data-testid="link-form-house" />
          </Form.Item>
        )}
        <Form.Item name="relation" label={t('registry.relation')} rules={[{ required: true }]}>
          <Select options={['owner', 'tenant', 'family', 'other'].map((k) => ({ value: k, label: tc('relation', k) }))} />
        </Form.Item>
        <Form.Item name="headRelation" label={t('registry.headRelation')} rules={[maxLength(t, 10)]}>
          <Input autoComplete="off" placeholder={t('registry.form.headRelationPh')} />
        </Form.Item>
        <Form.Item name="resides" label={t('registry.form.resides')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item noStyle dependencies={['relation']}>
          {({ getFieldValue }) =>
            getFieldValue('relation') === 'owner' && (
              <Form.Item name="share" label={t('registry.form.share')} rules={[{ type: 'number', min: 0, max: 1, message: t('registry.form.shareRule') }]}>
                <InputNumber min={0} max={1} step={0.5} style={{ width: 160 }} />
              </Form.Item>
            )
          }
        </Form.Item>
        {link ? (
          <Form.Item name="moveOut" label={t('registry.moveOut')} extra={t('registry.form.moveOutHint')} rules={[{ pattern: DATE, message: t('registry.form.dateRule') }]}>
            <Input autoComplete="off" placeholder="2025-06-30" data-testid="link-form-moveout" />
          </Form.Item>
        ) : (
          <Form.Item name="moveIn" label={t('registry.moveIn')} rules={[{ pattern: DATE, message: t('registry.form.dateRule') }]}>
            <Input autoComplete="off" placeholder="2024-05-01" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
