import { useEffect, useState } from 'react';
import { Button, Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { CloseOutlined, EditOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useNavigate } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import type { PickedHouse } from './BuildingLayout';
import { HouseEditForm } from './HouseEditForm';

const USE_TAG_COLORS: Record<string, string> = { self: 'green', rented: 'blue', vacant: 'default', business: 'orange' };

interface Props {
  picked: PickedHouse;
  buildingCode: string;
  onClose: () => void;
  isCurrent?: boolean;
}

export function HouseDetail({ picked, buildingCode, onClose, isCurrent }: Props) {
  const { t, tc } = useLang();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const { house, unit, floor } = picked;
  // a different house was picked: leave edit mode
  useEffect(() => setEditing(false), [house.code]);

  return (
    <Card
      size="small"
      type="inner"
      data-testid="house-detail"
      title={`${t('territory.house')} · ${house.roomLabel}`}
      extra={<Button type="text" size="small" icon={<CloseOutlined />} onClick={onClose} aria-label={t('common.close')} />}
    >
      {editing ? (
        <HouseEditForm house={house} buildingCode={buildingCode} onDone={() => setEditing(false)} />
      ) : (
        <>
          <Descriptions
            size="small"
            column={1}
            style={{ marginBottom: 8 }}
            items={[
              {
                key: 'code',
                label: t('territory.code'),
                children: (
                  <Typography.Text copyable className="mono">
                    {house.code}
                  </Typography.Text>
                ),
              },
              { key: 'room', label: t('territory.room'), children: house.roomLabel },
              { key: 'unit', label: t('territory.unit'), children: unit.name },
              { key: 'floor', label: t('territory.floor'), children: floor },
              { key: 'area', label: t('territory.area'), children: house.area != null ? `${Number(house.area)} m²` : '—' },
              {
                key: 'use',
                label: t('territory.use'),
                children: house.use ? <Tag color={USE_TAG_COLORS[house.use]}>{tc('use', house.use)}</Tag> : '—',
              },
            ]}
          />
          <Flex gap={8} wrap>
            {can('territory.write') && (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="house-edit-open">
                {t('common.edit')}
              </Button>
            )}
            {can('registry.read') && (
              <Button size="small" onClick={() => navigate(`/registry/houses/${house.code}`)} data-testid="house-household">
                {t('registry.household')}
              </Button>
            )}
            {!isCurrent && (
              <Button size="small" onClick={() => navigate(`/territory/${house.code}`)} data-testid="house-open">
                {t('territory.openRecord')}
              </Button>
            )}
          </Flex>
        </>
      )}
    </Card>
  );
}
