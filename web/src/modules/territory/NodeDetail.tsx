import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Descriptions, Empty, Flex, QRCode, Skeleton, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useLang } from '../../app/LangContext';
import { BuildingLayout } from './BuildingLayout';
import { NodeStats } from './NodeStats';
import { PlaceActions } from './PlaceActions';
import { LEVEL_COLORS, fullPath, isLeafLevel, territoryApi, territoryKeys, type TerritoryNode } from './api';

function ChildrenList({ node }: { node: TerritoryNode }) {
  const { t } = useLang();
  const children = useQuery({
    queryKey: territoryKeys.children(node.code),
    queryFn: () => territoryApi.children(node.code),
    staleTime: 60_000,
  });
  if (children.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (children.isError) return <Typography.Text type="danger">{children.error.message}</Typography.Text>;
  if (children.data.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('territory.noChildren')} />;
  return (
    <Flex wrap gap={8} data-testid="node-children">
      {children.data.map((c) => (
        <Link key={c.code} to={`/territory/${c.code}`}>
          <Tag style={{ cursor: 'pointer', marginInlineEnd: 0 }}>
            {c.name}
            {c.childCount > 0 && <span style={{ opacity: 0.5 }}> ({c.childCount})</span>}
          </Tag>
        </Link>
      ))}
    </Flex>
  );
}

/** Breadcrumb, code, level and child count of one node; a building also shows its layout. */
export function NodeDetail({ node, rootCodes }: { node: TerritoryNode; rootCodes: string[] }) {
  const { t, tc } = useLang();
  const path = fullPath(node);
  // places above the user's scope roots are shown for orientation but cannot be opened
  const firstOpen = Math.max(
    0,
    path.findIndex((p) => rootCodes.includes(p.code)),
  );
  const doorPlateUrl = `${window.location.origin}/territory/${node.code}`;
  // a unit or house is shown inside its building's layout, highlighted
  const building = node.level === 'building' ? node.code : path.find((p) => p.level === 'building')?.code;

  return (
    <Flex vertical gap={12}>
      <Card size="small" data-testid="node-detail">
        <Breadcrumb
          style={{ marginBottom: 8 }}
          items={path.map((p, i) => ({
            key: p.code,
            title: i === path.length - 1 || i < firstOpen ? p.name : <Link to={`/territory/${p.code}`}>{p.name}</Link>,
          }))}
        />
        <Flex wrap gap={16} justify="space-between" align="flex-start">
          <div style={{ flex: '1 1 260px', minWidth: 0 }}>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {node.name}{' '}
              <Tag color={LEVEL_COLORS[node.level]} style={{ verticalAlign: 'middle' }}>
                {tc('level', node.level)}
              </Tag>
            </Typography.Title>
            <Descriptions
              size="small"
              column={1}
              items={[
                {
                  key: 'code',
                  label: t('territory.code'),
                  children: (
                    <Typography.Text copyable className="mono" data-testid="node-code">
                      {node.code}
                    </Typography.Text>
                  ),
                },
                { key: 'level', label: t('territory.level'), children: tc('level', node.level) },
                ...(isLeafLevel(node.level)
                  ? []
                  : [{ key: 'children', label: t('territory.childCount'), children: node.childCount }]),
              ]}
            />
            <PlaceActions key={node.code} node={node} />
          </div>
          <Flex vertical align="center" gap={4}>
            <QRCode value={doorPlateUrl} size={112} bordered={false} />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('territory.doorPlate')}
            </Typography.Text>
          </Flex>
        </Flex>
      </Card>

      {!building && <NodeStats node={node} />}
      {building ? (
        <BuildingLayout buildingCode={building} highlightCode={node.level === 'building' ? undefined : node.code} />
      ) : (
        <Card size="small" title={t('territory.children')}>
          <ChildrenList node={node} />
        </Card>
      )}
    </Flex>
  );
}
