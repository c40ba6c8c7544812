import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Flex, Grid, Result, Row, Skeleton, Typography } from 'antd';
import { useNavigate, useParams } from 'react-router-dom';
import { ApiError } from '../../app/api';
import { useLang } from '../../app/LangContext';
import { NodeDetail } from './NodeDetail';
import { TerritorySearch } from './TerritorySearch';
import { TerritoryTree } from './TerritoryTree';
import { fullPath, territoryApi, territoryKeys } from './api';

/** /territory/:code? — a door-plate QR code opens straight onto its node. */
export default function TerritoryPage() {
  const { code } = useParams();
  const navigate = useNavigate();
  const { t } = useLang();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.lg;

  const roots = useQuery({ queryKey: territoryKeys.roots, queryFn: territoryApi.roots, staleTime: 5 * 60_000 });
  const node = useQuery({
    queryKey: territoryKeys.node(code ?? ''),
    queryFn: () => territoryApi.node(code!),
    enabled: !!code,
  });

  const go = (next: string) => navigate(`/territory/${next}`);
  const rootItems = roots.data ?? [];
  // With a single scope root and nothing picked, show that root rather than an empty panel.
  const effectiveCode = code ?? (rootItems.length === 1 ? rootItems[0].code : undefined);
  const selectedPath = node.data ? fullPath(node.data).map((p) => p.code) : undefined;

  let detail;
  if (code && node.isPending) detail = <Skeleton active />;
  else if (code && node.isError) {
    const notFound = node.error instanceof ApiError && (node.error.status === 404 || node.error.status === 403);
    detail = (
      <Result
        status={notFound ? '404' : 'warning'}
        title={notFound ? t('territory.notFound', { code }) : t('common.loadFailed')}
        subTitle={node.error.message}
        extra={!notFound && <Button onClick={() => void node.refetch()}>{t('common.retry')}</Button>}
      />
    );
  } else if (code && node.data) detail = <NodeDetail node={node.data} rootCodes={rootItems.map((r) => r.code)} />;
  else if (effectiveCode && rootItems[0]) detail = <NodeDetail node={rootItems[0]} rootCodes={rootItems.map((r) => r.code)} />;
  else detail = <Empty description={t('territory.pickNode')} />;

  const tree = (
    <Card size="small" title={t('territory.tree')}>
      {roots.isPending ? (
        <Skeleton active />
      ) : roots.isError ? (
        <Alert type="error" showIcon title={roots.error.message} />
      ) : rootItems.length === 0 ? (
        <Empty description={t('territory.noRoots')}>
          <Typography.Text type="secondary">{t('territory.noRootsHint')}</Typography.Text>
        </Empty>
      ) : (
        <TerritoryTree roots={rootItems} selectedCode={effectiveCode} selectedPath={selectedPath} onSelect={go} />
      )}
    </Card>
  );

  return (
    <>
      <Typography.Title level={3} className="page-title">
        {t('territory.title')}
      </Typography.Title>
      {mobile ? (
        // on a phone the record comes first: people arrive here by scanning a door plate
        <Flex vertical gap={12}>
          <TerritorySearch onPick={go} />
          {detail}
          {tree}
        </Flex>
      ) : (
        <Row gutter={16} wrap={false}>
          <Col flex="340px" style={{ minWidth: 0 }}>
            <Flex vertical gap={12}>
              <TerritorySearch onPick={go} />
              {tree}
            </Flex>
          </Col>
          <Col flex="auto" style={{ minWidth: 0 }}>
            {detail}
          </Col>
        </Row>
      )}
    </>
  );
}
