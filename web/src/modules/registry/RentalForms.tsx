import { useEffect, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Button, Col, Form, Input, Modal, Row, Typography, Upload, type ButtonProps } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { registryApi, uploadContractPhoto } from './api';
import { maxLength, showServerProblems } from './forms';
import { OwnerSelect } from './RecordFormModals';

/** 租赁登记 and 访客登记: the two forms of the renters-and-visitors page (R5). */

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOUSE = /^\d{24}$/;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

interface TenancyValues {
  houseCode: string;
  tenantPersonId: string;
  landlordPersonId?: string | null;
  startDate: string;
  endDate: string;
}

export function TenancyFormModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<TenancyValues>();
  const [photo, setPhoto] = useState<File | null>(null);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    setPhoto(null);
  }, [open]);

  const save = useMutation({
    mutationFn: async (v: TenancyValues) => {
      const created = await registryApi.createTenancy({
        houseCode: v.houseCode.trim(),
        tenantPersonId: v.tenantPersonId,
        landlordPersonId: v.landlordPersonId ?? null,
        startDate: v.startDate.trim(),
        endDate: v.endDate.trim(),
      });
      // The tenancy stands without the photo; a refused photo is said, and can be sent again later.
      if (photo) await uploadContractPhoto(created.id, photo);
      return created;
    },
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
      onClose();
    },
    onError: (e) => {
      onSaved();
      showServerProblems(form, e, ['houseCode', 'tenantPersonId', 'landlordPersonId', 'startDate', 'endDate']);
    },
  });

  return (
    <Modal
      open={open}
      title={t('registry.rentals.newTenancy')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'tenancy-form-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      width={640}
      forceRender
    >
      <Form<TenancyValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="houseCode" label={t('registry.form.houseCode')} rules={[{ required: true, pattern: HOUSE, message: t('registry.form.houseCodeRule') }]}>
          <Input className="mono" autoComplete="off" data-testid="tenancy-form-house" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="tenantPersonId" label={t('registry.rentals.tenant')} rules={[{ required: true, message: t('registry.rentals.tenantRule') }]}>
              <OwnerSelect testId="tenancy-form-tenant" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="landlordPersonId" label={t('registry.rentals.landlord')} extra={t('registry.rentals.landlordHint')}>
              <OwnerSelect testId="tenancy-form-landlord" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="startDate" label={t('registry.rentals.start')} rules={[{ required: true, pattern: DATE, message: t('registry.form.dateRule') }]}>
              <Input autoComplete="off" placeholder="2025-01-01" data-testid="tenancy-form-start" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="endDate"
              label={t('registry.rentals.end')}
              dependencies={['startDate']}
              rules={[
                { required: true, pattern: DATE, message: t('registry.form.dateRule') },
                ({ getFieldValue }) => ({
                  validator: (_, v?: string) =>
                    !v || !DATE.test(v) || !DATE.test(getFieldValue('startDate') ?? '') || v >= getFieldValue('startDate')
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('registry.rentals.endRule'))),
                }),
              ]}
            >
              <Input autoComplete="off" placeholder="2025-12-31" data-testid="tenancy-form-end" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('registry.rentals.contractPhoto')} extra={t('registry.rentals.contractPhotoHint')}>
          <Upload
            accept={PHOTO_TYPES.join(',')}
            maxCount={1}
            beforeUpload={(file) => {
              setPhoto(file);
              return false;
            }}
            showUploadList={false}
          >
            <Button icon={<UploadOutlined />} data-testid="tenancy-form-photo">
              {t('registry.rentals.choosePhoto')}
            </Button>
          </Upload>
          {photo && (
            <Typography.Text style={{ marginLeft: 8 }} data-testid="tenancy-form-photo-name">
              {photo.name}{' '}
              <Button size="small" type="link" onClick={() => setPhoto(null)}>
                {t('registry.rentals.removePhoto')}
              </Button>
            </Typography.Text>
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface VisitorValues {
  houseCode: string;
  name: string;
  idNumber?: string;
  phone?: string;
  purpose?: string;
  plate?: string;
}

export function VisitorFormModal({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useLang();
  const [form] = Form.useForm<VisitorValues>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open]);

  const save = useMutation({
    mutationFn: (v: VisitorValues) => {
      const s = (x?: string) => (x ?? '').trim() || undefined;
      return registryApi.registerVisitor({
        houseCode: v.houseCode.trim(),
        name: v.name.trim(),
        idNumber: s(v.idNumber),
        phone: s(v.phone),
        purpose: s(v.purpose),
        plate: s(v.plate)?.toUpperCase(),
      });
    },
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
      onClose();
    },
    onError: (e) => showServerProblems(form, e, ['houseCode', 'name', 'idNumber', 'phone', 'purpose', 'plate']),
  });

  return (
    <Modal
      open={open}
      title={t('registry.visitors.new')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'visitor-form-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      width={640}
      forceRender
    >
      <Form<VisitorValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="houseCode" label={t('registry.visitors.house')} rules={[{ required: true, pattern: HOUSE, message: t('registry.form.houseCodeRule') }]}>
              <Input className="mono" autoComplete="off" data-testid="visitor-form-house" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('registry.name')} rules={[{ required: true, whitespace: true, message: t('registry.visitors.nameRule') }, maxLength(t, 40)]}>
              <Input autoComplete="off" data-testid="visitor-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="idNumber" label={t('registry.visitors.idNumber')} rules={[maxLength(t, 20)]}>
              <Input className="mono" autoComplete="off" data-testid="visitor-form-id" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('registry.phone')} rules={[{ pattern: /^[\d+\s-]{7,20}$/, message: t('registry.form.phoneRule') }]}>
              <Input className="mono" autoComplete="off" data-testid="visitor-form-phone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="purpose" label={t('registry.visitors.purpose')} rules={[maxLength(t, 100)]}>
              <Input autoComplete="off" placeholder={t('registry.visitors.purposePh')} data-testid="visitor-form-purpose" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="plate" label={t('registry.vehicles.plate')} rules={[maxLength(t, 12)]}>
              <Input className="mono" autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
