import { useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Col, Form, Input, InputNumber, Modal, Row, Switch, Typography, type ButtonProps } from 'antd';
import { useNavigate } from 'react-router-dom';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { BUILDING_LIMITS as L, territoryApi, type NewBuilding, type TerritoryNode } from './api';
import { refreshAround } from './placeCache';

interface BuildingForm {
  name: string;
  floors: number | null;
  unitsCount: number | null;
  roomsPerFloor: number | null;
  hasLift: boolean;
  builtYear: number | null;
  address?: string;
}

const DEFAULTS: Partial<BuildingForm> = { floors: 6, unitsCount: 2, roomsPerFloor: 2, hasLift: false };
/** above this many houses the form asks for a second look before creating them all */
const BIG_BUILDING = 1000;
const LIFT_FROM_FLOORS = 8;

const roomLabel = (floor: number, room: number) => `${floor}${String(room).padStart(2, '0')}`;

/** A new building in a grid; the server numbers it and generates its units and houses. */
export function AddBuildingModal({ node: grid, open, onClose }: { node: TerritoryNode; open: boolean; onClose: () => void }) {
  const { t } = useLang();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [form] = Form.useForm<BuildingForm>();
  // the lift follows the floor count until someone sets it by hand
  const liftTouched = useRef(false);
  const floors = Form.useWatch('floors', form);
  const units = Form.useWatch('unitsCount', form);
  const rooms = Form.useWatch('roomsPerFloor', form);
  const valid = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;
  const plan =
    valid(floors, L.floors) && valid(units, L.units) && valid(rooms, L.roomsPerFloor)
      ? { units, houses: floors * units * rooms, first: roomLabel(1, 1), last: roomLabel(floors, rooms) }
      : null;

  const create = useMutation({
    mutationFn: (v: NewBuilding) => territoryApi.createBuilding(grid.code, v),
    onSuccess: async (building, v) => {
      showSuccess(t('territory.buildingAdded', { name: building.name, houses: v.floors * v.unitsCount * v.roomsPerFloor }));
      form.resetFields();
      liftTouched.current = false;
      onClose();
      await refreshAround(queryClient, building);
      navigate(`/territory/${building.code}`);
    },
  });

  const submit = (v: BuildingForm) =>
    create.mutate({
      name: v.name.trim(),
      floors: v.floors!,
      unitsCount: v.unitsCount!,
      roomsPerFloor: v.roomsPerFloor!,
      hasLift: v.hasLift,
      ...(v.builtYear != null ? { builtYear: v.builtYear } : {}),
      ...(v.address?.trim() ? { address: v.address.trim() } : {}),
    });

  const range = (min: number, max: number) => ({
    type: 'integer' as const,
    required: true,
    min,
    max,
    message: t('territory.rangeRule', { min, max }),
  });

  return (
    <Modal
      open={open}
      title={t('territory.addBuildingTitle', { name: grid.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.create')}
      okButtonProps={{ 'data-testid': 'building-add-submit' } as ButtonProps}
      confirmLoading={create.isPending}
      width={600}
      forceRender
    >
      <Form<BuildingForm>
        form={form}
        layout="vertical"
        initialValues={DEFAULTS}
        onFinish={submit}
        onValuesChange={(changed: Partial<BuildingForm>) => {
          if ('hasLift' in changed) liftTouched.current = true;
          if ('floors' in changed && !liftTouched.current && typeof changed.floors === 'number')
            form.setFieldValue('hasLift', changed.floors >= LIFT_FROM_FLOORS);
        }}
      >
        <Form.Item
          name="name"
          label={t('territory.buildingName')}
          rules={[
            { required: true, whitespace: true, message: t('territory.buildingNameRequired') },
            { max: L.name, message: t('territory.maxLength', { max: L.name }) },
          ]}
        >
          <Input autoComplete="off" placeholder={t('territory.buildingNamePlaceholder')} data-testid="building-name" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="floors" label={t('territory.floors')} rules={[range(1, L.floors)]}>
              <InputNumber min={1} max={L.floors} precision={0} inputMode="numeric" style={{ width: '100%' }} data-testid="building-floors" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="unitsCount" label={t('territory.unitsCount')} rules={[range(1, L.units)]}>
              <InputNumber min={1} max={L.units} precision={0} inputMode="numeric" style={{ width: '100%' }} data-testid="building-units" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="roomsPerFloor" label={t('territory.roomsPerFloor')} rules={[range(1, L.roomsPerFloor)]}>
              <InputNumber
                min={1}
                max={L.roomsPerFloor}
                precision={0}
                inputMode="numeric"
                style={{ width: '100%' }}
                data-testid="building-rooms"
              />
            </Form.Item>
          </Col>
        </Row>
        {plan && (
          <Typography.Paragraph type="secondary" style={{ marginTop: -8 }} data-testid="building-plan">
            {t('territory.buildingPlan', plan)}
          </Typography.Paragraph>
        )}
        {plan && plan.houses > BIG_BUILDING && (
          <Alert type="warning" showIcon title={t('territory.bigBuilding')} style={{ marginBottom: 16 }} />
        )}
        <Row gutter={12}>
          <Col xs={24} sm={8}>
            <Form.Item name="hasLift" label={t('territory.hasLift')} valuePropName="checked" tooltip={t('territory.liftHint')}>
              <Switch data-testid="building-lift" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item
              name="builtYear"
              label={t('territory.builtYear')}
              rules={[{ type: 'integer', min: L.yearMin, max: L.yearMax, message: t('territory.rangeRule', { min: L.yearMin, max: L.yearMax }) }]}
            >
              <InputNumber
                min={L.yearMin}
                max={L.yearMax}
                precision={0}
                inputMode="numeric"
                placeholder={String(new Date().getFullYear())}
                style={{ width: '100%' }}
                data-testid="building-year"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="address"
          label={t('territory.address')}
          rules={[{ max: L.address, message: t('territory.maxLength', { max: L.address }) }]}
        >
          <Input autoComplete="off" data-testid="building-address" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
