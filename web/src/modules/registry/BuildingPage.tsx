import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Skeleton, Typography } from 'antd';
import { useParams, useSearchParams } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { registryApi, registryKeys, type OccupancyHouse } from './api';
import { HouseholdPanel } from './HouseholdPanel';
import { RegistryNav } from './RegistryNav';

const USES = ['self', 'rented', 'vacant', 'business'] as const;

/** 楼栋图: floors (top first) × rooms per unit, coloured by use, with residents and care badges. */
export default function BuildingPage() {
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const picked = params.get('house');
  const { t, tc } = useLang();
  const occ = useQuery({ queryKey: registryKeys.occupancy(code), queryFn: () => registryApi.occupancy(code) });
  const units = useMemo(() => {
    const m = new Map<string, OccupancyHouse[]>();
    for (const h of occ.data?.houses ?? []) m.set(h.unitCode, [...(m.get(h.unitCode) ?? []), h]);
    return [...m.entries()];
  }, [occ.data]);
  const floors = useMemo(() => [...new Set((occ.data?.houses ?? []).map((h) => h.floor))].sort((a, b) => b - a), [occ.data]);
  const [counts] = useState(() => new Map<string, number>());
  if (occ.isPending) return <Skeleton active />;
  if (occ.isError) return <Alert type="error" showIcon title={occ.error.message} />;
  counts.clear();
  for (const h of occ.data.houses) counts.set(h.use, (counts.get(h.use) ?? 0) + 1);

  return (
    <div>
      <RegistryNav />
      <Flex vertical gap={12}>
        <Card size="small" title={`${t('registry.building')} · ${occ.data.name}`} data-testid="building-diagram">
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginBottom: 8 }}>
            {t('registry.buildingHint')}
          </Typography.Text>
          <Flex wrap gap={12} style={{ fontSize: 12, marginBottom: 12 }}>
            {USES.map((u) => (
              <span key={u}>
                <span className={`legend-swatch use-${u}`} />
                {tc('use', u)} {counts.get(u) ?? 0}
              </span>
            ))}
          </Flex>
          <div className="layout-scroll">
            <div className="layout-units">
              {units.map(([unitCode, houses]) => (
                <div key={unitCode}>
                  <div className="layout-unit-title">{t('level.unit')} {Number(unitCode.slice(18))}</div>
                  {floors.map((floor) => (
                    <div className="layout-floor" key={floor}>
                      <span className="layout-floor-label">{t('territory.floorLabel', { floor })}</span>
                      {houses
                        .filter((h) => h.floor === floor)
                        .map((h) => (
                          <button
                            type="button"
                            key={h.code}
                            data-testid={`room-${h.code}`}
                            className={`house-cell occupancy-cell use-${h.use}${picked === h.code ? ' selected' : ''}`}
                            title={`${h.roomLabel} · ${tc('use', h.use)}${h.headName ? ` · ${h.headName}` : ''}`}
                            onClick={() => setParams({ house: h.code }, { replace: true })}
                          >
                            {h.roomLabel}
                            <span className="house-area">{h.residents ? t('registry.residents', { n: h.residents }) : '—'}</span>
                            <span className="occ-badges">
                              {h.elderly > 0 && <span className="occ-badge elderly">{t('registry.elderlyBadge')}</span>}
                              {h.alone > 0 && <span className="occ-badge alone">{t('registry.aloneBadge')}</span>}
                            </span>
                          </button>
                        ))}
                    </div>
                  ))}
                </div>
              ))}
            </div>
          </div>
        </Card>
        {picked && <HouseholdPanel code={picked} showBuildingLink={false} />}
      </Flex>
    </div>
  );
}
