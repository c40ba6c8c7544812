import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Col, Form, Input, InputNumber, Modal, Row, Select, type ButtonProps } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { useDebounced } from '../../app/useDebounced';
import { registryApi, type Unit, type Vehicle } from './api';
import { RecordHistory, maxLength, showServerProblems } from './forms';

/** Forms for units (实有单位) and vehicles (实有车辆): create, or change with the version read; history below. */

const UNIT_TYPES = ['enterprise', 'individual', 'government', 'institution', 'social', 'other'];
const VEHICLE_TYPES = ['car', 'suv', 'van', 'truck', 'motorcycle', 'ebike', 'other'];
const PLACE = /^(\d{12}|\d{24})$/;

interface UnitValues {
  placeCode: string;
  name: string;
  creditCode?: string;
  unitType: string;
  industry?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  employees?: number | null;
  note?: string;
}

export function UnitFormModal({ open, unit, onClose, onSaved }: { open: boolean; unit?: Unit | null; onClose: () => void; onSaved: () => void }) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<UnitValues>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (unit)
      form.setFieldsValue({
        name: unit.name,
        creditCode: unit.creditCode ?? '',
        unitType: unit.unitType,
        industry: unit.industry,
        address: unit.address,
        contactName: unit.contactName,
        contactPhone: '',
        employees: unit.employees,
        note: unit.note,
      });
    else form.setFieldsValue({ unitType: 'enterprise' });
  }, [open, unit?.id, unit?.version]);

  const save = useMutation({
    mutationFn: (v: UnitValues) => {
      const s = (x?: string) => (x ?? '').trim();
      const body = {
        name: s(v.name),
        creditCode: s(v.creditCode).toUpperCase() || null,
        unitType: v.unitType,
        industry: s(v.industry),
        address: s(v.address),
        contactName: s(v.contactName),
        employees: v.employees ?? null,
        note: s(v.note),
      };
      // The contact phone is shown masked: an empty box keeps it.
      const phone = s(v.contactPhone) ? { contactPhone: s(v.contactPhone) } : {};
      return unit ? registryApi.updateUnit(unit.id, { version: unit.version, ...body, ...phone }) : registryApi.createUnit({ placeCode: s(v.placeCode), ...body, ...phone });
    },
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
      onClose();
    },
    onError: (e) => showServerProblems(form, e, ['placeCode', 'name', 'creditCode', 'contactPhone', 'employees']),
  });

  return (
    <Modal
      open={open}
      title={unit ? t('registry.form.editUnit', { name: unit.name }) : t('registry.form.newUnit')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'unit-form-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      width={720}
      forceRender
    >
      <Form<UnitValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Row gutter={12}>
          {!unit && (
            <Col xs={24} sm={12}>
              <Form.Item name="placeCode" label={t('registry.form.placeCode')} extra={t('registry.form.placeCodeHint')} rules={[{ required: true, pattern: PLACE, message: t('registry.form.placeCodeRule') }]}>
                <Input className="mono" autoComplete="off" data-testid="unit-form-place" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} sm={12}>
            <Form.Item name="name" label={t('registry.units.name')} rules={[{ required: true, whitespace: true, min: 2, max: 100, message: t('registry.form.unitNameRule') }]}>
              <Input autoComplete="off" data-testid="unit-form-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="creditCode" label={t('registry.units.creditCode')} rules={[{ pattern: /^[0-9A-Za-z]{18}$/, message: t('registry.form.creditRule') }]}>
              <Input className="mono" autoComplete="off" maxLength={18} data-testid="unit-form-credit" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="unitType" label={t('registry.units.type')} rules={[{ required: true }]}>
              <Select options={UNIT_TYPES.map((k) => ({ value: k, label: tc('unitType', k) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="industry" label={t('registry.units.industry')} rules={[maxLength(t, 40)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="address" label={t('registry.addressCol')} rules={[maxLength(t, 200)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="contactName" label={t('registry.units.contact')} rules={[maxLength(t, 40)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="contactPhone"
              label={t('registry.phone')}
              extra={unit ? t('registry.form.phoneKeep', { masked: unit.contactPhoneMasked ?? '—' }) : undefined}
              rules={[{ pattern: /^[\d+\s-]{7,20}$/, message: t('registry.form.phoneRule') }]}
            >
              <Input className="mono" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="employees" label={t('registry.units.employees')} rules={[{ type: 'number', min: 0, max: 1_000_000, message: t('registry.form.employeesRule') }]}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="note" label={t('registry.form.note')} rules={[maxLength(t, 500)]}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {unit && <RecordHistory kind="unit" id={unit.id} load={registryApi.unitHistory} />}
    </Modal>
  );
}

interface VehicleValues {
  placeCode: string;
  plate: string;
  vehicleType: string;
  brand?: string;
  color?: string;
  ownerPersonId?: string | null;
  parking?: string;
}

/** Picks a registered person (an owner, a tenant, a landlord) by searching their name, initials or ID number. */
export function OwnerSelect({
  value,
  onChange,
  initialName,
  testId,
}: {
  value?: string | null;
  onChange?: (v: string | null) => void;
  initialName?: string | null;
  testId?: string;
}) {
  const { t } = useLang();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const found = useQuery({ queryKey: ['registry', 'owner-search', q], queryFn: () => registryApi.people({ q }), enabled: q.length > 0 });
  const options = (found.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name} ${p.idMasked}` }));
  if (value && initialName && !options.some((o) => o.value === value)) options.unshift({ value, label: initialName });
  return (
    <Select
      showSearch
      allowClear
      filterOption={false}
      value={value ?? undefined}
      placeholder={t('registry.form.ownerPh')}
      onSearch={setText}
      onChange={(v?: string) => onChange?.(v ?? null)}
      loading={found.isFetching}
      options={options}
      data-testid={testId}
    />
  );
}

export function VehicleFormModal({ open, vehicle, onClose, onSaved }: { open: boolean; vehicle?: Vehicle | null; onClose: () => void; onSaved: () => void }) {
  const { t, tc } = useLang();
  const [form] = Form.useForm<VehicleValues>();
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (vehicle)
      form.setFieldsValue({ vehicleType: vehicle.vehicleType, brand: vehicle.brand, color: vehicle.color, ownerPersonId: vehicle.ownerPersonId, parking: vehicle.parking });
    else form.setFieldsValue({ vehicleType: 'car' });
  }, [open, vehicle?.id, vehicle?.version]);

  const save = useMutation({
    mutationFn: (v: VehicleValues) => {
      const s = (x?: string) => (x ?? '').trim();
      const body = { vehicleType: v.vehicleType, brand: s(v.brand), color: s(v.color), ownerPersonId: v.ownerPersonId ?? null, parking: s(v.parking) };
      return vehicle
        ? registryApi.updateVehicle(vehicle.id, { version: vehicle.version, ...body })
        : registryApi.createVehicle({ placeCode: s(v.placeCode), plate: s(v.plate).toUpperCase(), ...body });
    },
    onSuccess: () => {
      showSuccess(t('common.saved'));
      onSaved();
      onClose();
    },
    onError: (e) => showServerProblems(form, e, ['placeCode', 'plate', 'ownerPersonId', 'parking']),
  });

  return (
    <Modal
      open={open}
      title={vehicle ? t('registry.form.editVehicle', { plate: vehicle.plate }) : t('registry.form.newVehicle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'vehicle-form-submit' } as ButtonProps}
      confirmLoading={save.isPending}
      forceRender
    >
      <Form<VehicleValues> form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        {!vehicle && (
          <>
            <Form.Item name="placeCode" label={t('registry.form.placeCode')} extra={t('registry.form.placeCodeHint')} rules={[{ required: true, pattern: PLACE, message: t('registry.form.placeCodeRule') }]}>
              <Input className="mono" autoComplete="off" data-testid="vehicle-form-place" />
            </Form.Item>
            <Form.Item name="plate" label={t('registry.vehicles.plate')} rules={[{ required: true, whitespace: true, min: 7, max: 8, message: t('registry.form.plateRule') }]}>
              <Input autoComplete="off" placeholder="浙B12345 / 浙BD12345" data-testid="vehicle-form-plate" />
            </Form.Item>
          </>
        )}
        <Form.Item name="vehicleType" label={t('registry.form.vehicleType')} rules={[{ required: true }]}>
          <Select options={VEHICLE_TYPES.map((k) => ({ value: k, label: tc('vehicleType', k) }))} />
        </Form.Item>
        <Form.Item name="ownerPersonId" label={t('registry.vehicles.owner')}>
          <OwnerSelect initialName={vehicle?.ownerName} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="brand" label={t('registry.form.brand')} rules={[maxLength(t, 30)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="color" label={t('registry.form.color')} rules={[maxLength(t, 10)]}>
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="parking" label={t('registry.vehicles.parking')} rules={[maxLength(t, 40)]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Form>
      {vehicle && <RecordHistory kind="vehicle" id={vehicle.id} load={registryApi.vehicleHistory} />}
    </Modal>
  );
}
