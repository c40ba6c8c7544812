import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Empty, Flex, Skeleton, Typography } from 'antd';
import { useLang } from '../../app/LangContext';
import { HOUSE_USES, territoryApi, territoryKeys, type HouseCell, type LayoutUnit } from './api';
import { HouseDetail } from './HouseDetail';

export interface PickedHouse {
  house: HouseCell;
  unit: LayoutUnit;
  floor: number;
}

function UseLegend({ counts }: { counts: Record<string, number> }) {
  const { tc } = useLang();
  return (
    <Flex wrap gap={12} style={{ fontSize: 12 }} data-testid="layout-legend">
      {HOUSE_USES.map((use) => (
        <span key={use}>
          <span className={`legend-swatch use-${use}`} />
          {tc('use', use)} {counts[use] ?? 0}
        </span>
      ))}
    </Flex>
  );
}

/** Floors (top first) × rooms, per unit, each room coloured by its use (自住/出租/空置/经营). */
export function BuildingLayout({ buildingCode, highlightCode }: { buildingCode: string; highlightCode?: string }) {
  const { t, tc } = useLang();
  const layout = useQuery({
    queryKey: territoryKeys.layout(buildingCode),
    queryFn: () => territoryApi.layout(buildingCode),
  });
  // keep only the code: after an edit the layout reloads and the detail follows the fresh record
  const [pickedCode, setPickedCode] = useState<string | null>(null);
  const detailRef = useRef<HTMLDivElement>(null);
  const pick = (p: PickedHouse) => {
    setPickedCode(p.house.code);
    // on a phone the detail sits below the grid: bring it into view
    requestAnimationFrame(() => detailRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
  };

  const units = useMemo(() => layout.data?.units ?? [], [layout.data]);
  // one row per floor across all units, so the same floor lines up side by side
  const floors = useMemo(() => {
    const all = new Set<number>();
    for (const u of units) for (const f of u.floors) all.add(f.floor);
    return [...all].sort((a, b) => b - a);
  }, [units]);

  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const u of units)
      for (const f of u.floors) for (const h of f.houses) c[h.use ?? 'unknown'] = (c[h.use ?? 'unknown'] ?? 0) + 1;
    return c;
  }, [units]);

  // Opened on a house (a door-plate QR): select it in the grid.
  useEffect(() => setPickedCode(highlightCode ?? null), [highlightCode]);

  const picked = useMemo<PickedHouse | null>(() => {
    if (!pickedCode) return null;
    for (const unit of units)
      for (const f of unit.floors)
        for (const house of f.houses) if (house.code === pickedCode) return { house, unit, floor: f.floor };
    return null;
  }, [pickedCode, units]);

  if (layout.isPending) return <Skeleton active />;
  if (layout.isError) return <Alert type="error" showIcon title={layout.error.message} />;
  const { building } = layout.data;

  return (
    <Card size="small" title={t('territory.layout')} data-testid="building-layout">
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, xl: 4 }}
        items={[
          { key: 'floors', label: t('territory.floors'), children: building.floors ?? '—' },
          {
            key: 'lift',
            label: t('territory.hasLift'),
            children: building.hasLift == null ? '—' : building.hasLift ? t('common.yes') : t('common.no'),
          },
          { key: 'address', label: t('territory.address'), children: building.address || '—' },
          ...(building.builtYear ? [{ key: 'year', label: t('territory.builtYear'), children: building.builtYear }] : []),
        ]}
        style={{ marginBottom: 12 }}
      />
      {units.length === 0 || floors.length === 0 ? (
        <Empty description={t('territory.layoutEmpty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <>
          <UseLegend counts={counts} />
          <div style={{ height: 12 }} />
          <div className="layout-with-detail">
            <div className="layout-scroll">
              <div className="layout-units">
                {units.map((unit) => (
                  <div key={unit.code} data-testid={`unit-${unit.code}`}>
                    <div className="layout-unit-title">{unit.name}</div>
                    {floors.map((floor) => {
                      const houses = unit.floors.find((f) => f.floor === floor)?.houses ?? [];
                      return (
                        <div className="layout-floor" key={floor}>
                          <span className="layout-floor-label">{t('territory.floorLabel', { floor })}</span>
                          {houses.map((house) => (
                            <button
                              type="button"
                              key={house.code}
                              data-testid={`house-${house.code}`}
                              className={`house-cell use-${house.use ?? 'unknown'}${picked?.house.code === house.code ? ' selected' : ''}`}
                              title={`${house.roomLabel} · ${house.use ? tc('use', house.use) : ''}`}
                              onClick={() => pick({ house, unit, floor })}
                            >
                              {house.roomLabel}
                              {house.area != null && <span className="house-area">{Number(house.area)} m²</span>}
                            </button>
                          ))}
                        </div>
                      );
                    })}
                  </div>
                ))}
              </div>
            </div>
            <div className="layout-detail" ref={detailRef}>
              {picked ? (
                <HouseDetail
                  picked={picked}
                  buildingCode={buildingCode}
                  onClose={() => setPickedCode(null)}
                  isCurrent={picked.house.code === highlightCode}
                />
              ) : (
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {t('territory.pickHouse')}
                </Typography.Text>
              )}
            </div>
          </div>
        </>
      )}
    </Card>
  );
}
