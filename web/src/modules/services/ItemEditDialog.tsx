import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Flex, Form, Input, InputNumber, Modal, Select, Switch } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import type { MessageKey } from '../../app/i18n';

export interface EditableItem {
  id: string;
  name: string;
  description: string;
  eligibility: string;
  materials: { name: string; required: boolean }[];
  handlerRole: string;
  timeLimitDays: number;
  feeFen: number;
  certificateType: string | null;
  homeVisit: boolean;
  active: boolean;
  version: number;
}
interface Values {
  description: string;
  eligibility: string;
  materials: { name: string; required: boolean }[];
  handlerRole: string;
  timeLimitDays: number;
  feeYuan: number;
  certificateType: string;
  homeVisit: boolean;
  active: boolean;
}

const ROLES = ['community_worker', 'street_staff', 'district_admin'] as const;
const NONE = '';

/**
 * Edits an existing catalogue item (PATCH with its version). A change made by someone else in the
 * meantime is refused by the server; the dialog then reloads the item. Open applications keep the
 * deadline they were given when accepted.
 */
export function ItemEditDialog({ item, onClose }: { item: EditableItem | null; onClose: () => void }) {
  const { t } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const types = useQuery({
    queryKey: ['certificates', 'types'],
    queryFn: () => api.get<{ items: { key: string; name: string; communityMayIssue: boolean }[] }>('/api/certificates/types'),
    enabled: !!item,
  });
  useEffect(() => {
    if (!item) return;
    form.setFieldsValue({
      description: item.description,
      eligibility: item.eligibility,
      materials: item.materials,
      handlerRole: item.handlerRole,
      timeLimitDays: item.timeLimitDays,
      feeYuan: item.feeFen / 100,
      certificateType: item.certificateType ?? NONE,
      homeVisit: item.homeVisit,
      active: item.active,
    });
  }, [item, form]);

  const save = async (v: Values) => {
    if (!item) return;
    try {
      await api.patch(`/api/services/items/${item.id}`, {
        version: item.version,
        description: v.description ?? '',
        eligibility: v.eligibility,
        materials: (v.materials ?? []).filter((m) => m?.name?.trim()).map((m) => ({ name: m.name.trim(), required: !!m.required })),
        handlerRole: v.handlerRole,
        timeLimitDays: v.timeLimitDays,
        feeFen: Math.round((v.feeYuan ?? 0) * 100),
        certificateType: v.certificateType === NONE ? null : v.certificateType,
        homeVisit: v.homeVisit,
        active: v.active,
      });
      message.success(t('edit.saved'));
      void qc.invalidateQueries({ queryKey: ['services'] });
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VERSION_CONFLICT') {
        message.warning(t('edit.conflict'));
        void qc.invalidateQueries({ queryKey: ['services', 'district-catalogue'] });
        onClose();
      } else message.error((e as Error).message);
    }
  };

  return (
    <Modal
      open={!!item}
      title={item ? t('edit.title', { name: item.name }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      width={640}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'edit-save' } as Record<string, string>}
    >
      <Form form={form} layout="vertical" onFinish={save} data-testid="item-edit">
        <Form.Item name="description" label={t('edit.description')}>
          <Input.TextArea rows={2} maxLength={500} data-testid="edit-description" />
        </Form.Item>
        <Form.Item name="eligibility" label={t('svc.eligibility')} rules={[{ required: true, min: 2 }]}>
          <Input.TextArea rows={2} maxLength={300} data-testid="edit-eligibility" />
        </Form.Item>
        <Form.Item label={t('svc.materials')}>
          <Form.List name="materials">
            {(fields, { add, remove }) => (
              <Flex vertical gap={6}>
                {fields.map((f) => (
                  <Flex key={f.key} gap={8} align="center">
                    <Form.Item name={[f.name, 'name']} noStyle rules={[{ required: true }]}>
                      <Input placeholder={t('edit.materialName')} maxLength={60} data-testid={`edit-material-${f.name}`} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} noStyle valuePropName="checked">
                      <Checkbox style={{ whiteSpace: 'nowrap' }}>{t('edit.required')}</Checkbox>
                    </Form.Item>
                    <Button icon={<DeleteOutlined />} type="text" onClick={() => remove(f.name)} aria-label="remove" />
                  </Flex>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ name: '', required: true })} data-testid="edit-add-material">
                  {t('edit.addMaterial')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="handlerRole" label={t('edit.handlerRole')}>
            <Select style={{ minWidth: 200 }} options={ROLES.map((r) => ({ value: r, label: t(`edit.role.${r}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="timeLimitDays" label={t('cat.limit')}>
            <InputNumber min={0} max={60} addonAfter="工作日" data-testid="edit-limit" />
          </Form.Item>
          <Form.Item name="feeYuan" label={t('edit.feeYuan')}>
            <InputNumber min={0} step={1} precision={2} />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item name="certificateType" label={t('edit.certificate')}>
            <Select
              style={{ minWidth: 200 }}
              options={[
                { value: NONE, label: t('edit.noCertificate') },
                ...(types.data?.items ?? []).filter((x) => x.communityMayIssue).map((x) => ({ value: x.key, label: x.name })),
              ]}
            />
          </Form.Item>
          <Form.Item name="homeVisit" label={t('svc.homeVisit')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="active" label={t('edit.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}
