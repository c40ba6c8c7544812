import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Skeleton, Statistic } from 'antd';
import { useLang } from '../../app/LangContext';
import { LEVELS, territoryApi, territoryKeys, type Level, type TerritoryNode, type TerritoryStats } from './api';

const COUNTS: { key: keyof Omit<TerritoryStats, 'code'>; level: Level }[] = [
  { key: 'streets', level: 'street' },
  { key: 'communities', level: 'community' },
  { key: 'grids', level: 'grid' },
  { key: 'buildings', level: 'building' },
  { key: 'houses', level: 'house' },
];

/** The counts that can be non-zero under a place at `level`: only levels below it. */
export function countsBelow(level: Level) {
  const depth = LEVELS.indexOf(level);
  return COUNTS.filter((c) => LEVELS.indexOf(c.level) > depth);
}

/** How many streets, communities, grids, buildings and houses lie under a node. */
export function NodeStats({ node }: { node: TerritoryNode }) {
  const { tc } = useLang();
  const stats = useQuery({
    queryKey: territoryKeys.stats(node.code),
    queryFn: () => territoryApi.stats(node.code),
    staleTime: 5 * 60_000,
  });
  const shown = countsBelow(node.level);
  if (shown.length === 0 || stats.isError) return null;
  return (
    <Card size="small" data-testid="node-stats">
      {stats.isPending ? (
        <Skeleton active paragraph={{ rows: 1 }} title={false} />
      ) : (
        <Row gutter={[16, 8]}>
          {shown.map((c) => (
            <Col key={c.key} xs={12} sm={8} md={Math.max(4, Math.floor(24 / shown.length))}>
              <Statistic title={tc('level', c.level)} value={stats.data[c.key]} />
            </Col>
          ))}
        </Row>
      )}
    </Card>
  );
}
