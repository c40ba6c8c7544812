import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Flex, Skeleton, Switch, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { registryApi, registryKeys, type Household } from './api';
import { PersonTags } from './PersonTags';

type Member = Household['members'][number];

/** 户: the people of one house now (and before), its tenancies and the units seated there. */
export function HouseholdPanel({ code, showBuildingLink = true }: { code: string; showBuildingLink?: boolean }) {
  const { t, tc } = useLang();
  const [past, setPast] = useState(false);
  const hh = useQuery({ queryKey: registryKeys.household(code, past), queryFn: () => registryApi.household(code, past) });
  if (hh.isPending) return <Skeleton active />;
  if (hh.isError) return <Alert type="error" showIcon title={hh.error.message} />;
  const { house, members, tenancies, units } = hh.data;

  return (
    <Card
      size="small"
      data-testid="household"
      title={t('registry.householdOf', { address: house.address })}
      extra={showBuildingLink ? <Link to={`/registry/buildings/${house.buildingCode}?house=${house.code}`}>{t('registry.viewBuilding')}</Link> : null}
    >
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 3 }}
        items={[
          { key: 'code', label: t('territory.code'), children: <span className="mono">{house.code}</span> },
          { key: 'area', label: t('registry.area'), children: house.area != null ? `${house.area} m²` : '—' },
          {
            key: 'use',
            label: t('registry.use'),
            children: (
              <span>
                <span className={`legend-swatch use-${house.use}`} />
                {tc('use', house.use)}
              </span>
            ),
          },
        ]}
      />
      <Flex justify="space-between" align="center" style={{ margin: '8px 0' }}>
        <Typography.Text strong>{t('registry.members')}</Typography.Text>
        <Flex gap={6} align="center">
          <Switch size="small" checked={past} onChange={setPast} />
          <span style={{ fontSize: 12 }}>{t('registry.pastMembers')}</span>
        </Flex>
      </Flex>
      <Table<Member>
        size="small"
        rowKey="linkId"
        pagination={false}
        dataSource={members}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.noMembers')} /> }}
        rowClassName={(m) => (m.moveOut ? 'row-past' : '')}
        columns={[
          { title: t('registry.name'), key: 'n', render: (_: unknown, m) => <Link to={`/registry/persons/${m.personId}`}>{m.name}</Link> },
          { title: t('registry.headRelation'), dataIndex: 'headRelation', key: 'h', render: (v: string) => v || '—' },
          { title: t('registry.relation'), key: 'r', render: (_: unknown, m) => tc('relation', m.relation) },
          { title: t('registry.gender'), key: 'g', render: (_: unknown, m) => (m.gender ? tc('gender', m.gender) : '—') },
          { title: t('registry.age'), dataIndex: 'age', key: 'a' },
          { title: t('registry.idNumber'), dataIndex: 'idMasked', key: 'id', render: (v: string) => <span className="mono">{v}</span> },
          { title: t('registry.phone'), dataIndex: 'phoneMasked', key: 'p', render: (v: string | null) => v ?? '—' },
          { title: t('registry.tags'), key: 't', render: (_: unknown, m) => <PersonTags ageTags={m.ageTags} tags={m.tags} /> },
          { title: t('registry.moveOut'), key: 'o', render: (_: unknown, m) => m.moveOut ?? '' },
        ]}
      />
      {tenancies.length > 0 && (
        <>
          <Typography.Text strong style={{ display: 'block', margin: '12px 0 4px' }}>
            {t('registry.tenancies')}
          </Typography.Text>
          {tenancies.map((x) => (
            <div key={x.id} style={{ fontSize: 13 }}>
              {t('registry.rentals.tenant')} <Link to={`/registry/persons/${x.tenantId}`}>{x.tenantName}</Link>
              {x.landlordName ? ` · ${t('registry.rentals.landlord')} ${x.landlordName}` : ''} · {x.startDate} ~ {x.endDate}
            </div>
          ))}
        </>
      )}
      {units.length > 0 && (
        <>
          <Typography.Text strong style={{ display: 'block', margin: '12px 0 4px' }}>
            {t('registry.unitsHere')}
          </Typography.Text>
          {units.map((u) => (
            <div key={u.id} style={{ fontSize: 13 }}>
              {u.name} <Tag>{tc('unitType', u.unitType)}</Tag>
              <span className="mono">{u.creditCode}</span>
            </div>
          ))}
        </>
      )}
    </Card>
  );
}
