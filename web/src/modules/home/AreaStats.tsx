import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Skeleton, Statistic, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { LEVEL_COLORS, territoryApi, territoryKeys, type TerritoryNode } from '../territory/api';
import { countsBelow } from '../territory/NodeStats';

/** more scope roots than this (a global scope starts at every province) are left to the territory page */
const MAX_ROOTS = 4;

function RootStats({ root }: { root: TerritoryNode }) {
  const { t, tc } = useLang();
  const shown = countsBelow(root.level);
  const stats = useQuery({
    queryKey: territoryKeys.stats(root.code),
    queryFn: () => territoryApi.stats(root.code),
    staleTime: 5 * 60_000,
    enabled: shown.length > 0,
  });
  if (shown.length === 0) return null;
  return (
    <div data-testid={`home-stats-${root.code}`}>
      <Flex align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{root.name}</Typography.Text>
        <Tag color={LEVEL_COLORS[root.level]} style={{ marginInlineEnd: 0 }}>
          {tc('level', root.level)}
        </Tag>
        <Typography.Text type="secondary" className="mono" style={{ fontSize: 12 }}>
          {root.code}
        </Typography.Text>
        <Link to={`/territory/${root.code}`} style={{ marginInlineStart: 'auto' }}>
          {t('home.statsOpen')}
        </Link>
      </Flex>
      {stats.isError ? (
        <Alert type="error" showIcon title={stats.error.message} />
      ) : (
        <div className="stat-grid">
          {shown.map((c) => (
            <div className="stat-tile" key={c.key}>
              {stats.isPending ? (
                <Skeleton active paragraph={false} title={{ width: '80%' }} />
              ) : (
                <Statistic title={tc('level', c.level)} value={stats.data[c.key]} />
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** What the user's area holds: one row of counts per scope root, so a district's home talks about the district. */
export function AreaStats() {
  const { t } = useLang();
  const roots = useQuery({ queryKey: territoryKeys.roots, queryFn: territoryApi.roots, staleTime: 5 * 60_000 });
  const items = (roots.data ?? []).filter((r) => countsBelow(r.level).length > 0);
  if (roots.isError || (roots.isSuccess && items.length === 0)) return null;
  const more = items.length - MAX_ROOTS;

  return (
    <Card title={t('home.statsTitle')} size="small" data-testid="home-stats">
      {roots.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : (
        <Flex vertical gap={16}>
          {items.slice(0, MAX_ROOTS).map((root) => (
            <RootStats key={root.code} root={root} />
          ))}
          {more > 0 && (
            <Link to="/territory">
              <Typography.Text type="secondary">{t('home.statsMore', { n: more })}</Typography.Text>
            </Link>
          )}
        </Flex>
      )}
    </Card>
  );
}
