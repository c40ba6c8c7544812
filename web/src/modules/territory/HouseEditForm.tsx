import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Flex, Form, InputNumber, Select } from 'antd';
import { showSuccess } from '../../app/feedback';
import { useLang } from '../../app/LangContext';
import { HOUSE_USES, territoryApi, territoryKeys, type HouseCell, type HouseUse } from './api';

interface HouseForm {
  use: HouseUse;
  area: number | null;
}

/** Change a house's use and area; the server refuses a stale version with 409. */
export function HouseEditForm({ house, buildingCode, onDone }: { house: HouseCell; buildingCode: string; onDone: () => void }) {
  const { t, tc } = useLang();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (v: HouseForm) => territoryApi.updateHouse(house.code, { version: house.version ?? 1, use: v.use, area: v.area }),
    onSuccess: async () => {
      showSuccess(t('common.saved'));
      await queryClient.invalidateQueries({ queryKey: territoryKeys.layout(buildingCode) });
      onDone();
    },
  });

  return (
    <Form<HouseForm>
      layout="vertical"
      initialValues={{ use: house.use ?? 'self', area: house.area == null ? null : Number(house.area) }}
      onFinish={(v) => save.mutate(v)}
      data-testid="house-edit"
    >
      <Form.Item name="use" label={t('territory.use')} rules={[{ required: true }]}>
        <Select options={HOUSE_USES.map((u) => ({ value: u, label: tc('use', u) }))} data-testid="house-edit-use" />
      </Form.Item>
      <Form.Item name="area" label={t('territory.area')}>
        <InputNumber
          min={0.01}
          max={100000}
          step={0.5}
          precision={2}
          suffix="m²"
          style={{ width: '100%' }}
          data-testid="house-edit-area"
        />
      </Form.Item>
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="house-edit-save">
          {t('common.save')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Flex>
    </Form>
  );
}
