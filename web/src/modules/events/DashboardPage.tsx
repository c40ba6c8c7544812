import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Breadcrumb, Button, Card, Col, Empty, Flex, List, Row, Segmented, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { download } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { DEADLINE_COLORS, eventApi, eventKeys } from './api';
import { Chart, echarts } from './Chart';
import { formatTime, pct } from './format';
import { ServicesDashboardSection } from '../services/DashboardSection';

const DAYS = [30, 90, 365] as const;

function fromDate(days: number): string {
  return new Date(Date.now() - days * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The command dashboard (数智大脑) for a street, district or community: live, drillable to the grid. */
export default function DashboardPage() {
  const { t } = useLang();
  const { session } = useAuth();
  const home = session?.roles.find((r) => r.scopeType === 'territory' && r.scopeCode)?.scopeCode ?? '';
  const [trail, setTrail] = useState<{ code: string; name: string }[]>([{ code: home, name: session?.roles.find((r) => r.scopeCode === home)?.scopeName ?? home }]);
  const [days, setDays] = useState<number>(365);
  const scope = trail.at(-1)!.code;
  const queryClient = useQueryClient();
  // Live: the server says when events under the scope changed (any instance); the polls below are the safety net.
  const [live, setLive] = useState(false);
  useEffect(() => {
    if (!scope) return;
    const source = new EventSource(`/api/events/stats/stream?scope=${encodeURIComponent(scope)}`);
    source.addEventListener('ready', () => setLive(true));
    source.addEventListener('changed', () => void queryClient.invalidateQueries({ queryKey: eventKeys.all }));
    source.onerror = () => setLive(false);
    return () => {
      source.close();
      setLive(false);
    };
  }, [scope, queryClient]);
  const poll = live ? 60_000 : 15_000;
  const stats = useQuery({ queryKey: eventKeys.stats(scope, days), queryFn: () => eventApi.stats(scope, fromDate(days)), refetchInterval: poll, enabled: !!scope });
  const map = useQuery({ queryKey: ['events', 'map', scope], queryFn: () => eventApi.map(scope), refetchInterval: poll * 2, enabled: scope.length <= 12 && !!scope });
  const overdue = useQuery({ queryKey: eventKeys.list('overdue', ''), queryFn: () => eventApi.list('overdue'), refetchInterval: poll * 2 });
  const s = stats.data;

  const mapName = `grids-${scope}`;
  const mapOption = useMemo(() => {
    if (!map.data || map.data.features.length === 0) return null;
    echarts.registerMap(mapName, map.data as never);
    const max = Math.max(1, ...map.data.features.map((f) => f.properties.open));
    return {
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}<br/>${p.value ?? 0}` },
      visualMap: { min: 0, max, left: 0, bottom: 0, inRange: { color: ['#e6f4ff', '#69b1ff', '#fa8c16', '#cf1322'] }, calculable: true, itemHeight: 80 },
      series: [
        {
          type: 'map',
          map: mapName,
          roam: true,
          // Above a district the grids of several districts are specks far apart: names on hover only.
          label: { show: map.data.features.length <= 40 && !(scope.length === 6 && scope.endsWith('00')), fontSize: 10 },
          emphasis: { label: { show: true } },
          data: map.data.features.map((f) => ({ name: f.properties.name, value: f.properties.open })),
        },
      ],
    };
  }, [map.data, mapName, scope]);

  if (!scope) return <Empty />;
  const drill = (code: string, name: string) => {
    if (code.length <= 15 && code !== scope) setTrail((tr) => [...tr, { code, name }]);
  };

  return (
    <Flex vertical gap={12} data-testid="dashboard">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8}>
          <Typography.Title level={3} className="page-title" style={{ margin: 0 }}>
            {t('dash.title')}
          </Typography.Title>
          {live && (
            <Tag color="green" data-testid="dash-live">
              {t('dash.live')}
            </Tag>
          )}
        </Flex>
        <Flex gap={8} wrap>
          <Segmented value={days} onChange={(v) => setDays(Number(v))} options={DAYS.map((d) => ({ value: d, label: t(`dash.period.${d}` as 'dash.period.30') }))} />
          <Button icon={<DownloadOutlined />} onClick={() => void download('/api/events/stats.xlsx', { scope, from: fromDate(days) }, `event-stats-${scope}.xlsx`)}>
            {t('dash.export')}
          </Button>
        </Flex>
      </Flex>
      <Breadcrumb
        items={trail.map((x, i) => ({
          title:
            i < trail.length - 1 ? (
              <a onClick={() => setTrail((tr) => tr.slice(0, i + 1))} data-testid={`dash-crumb-${x.code}`}>
                {x.name}
              </a>
            ) : (
              x.name
            ),
        }))}
      />
      {!s ? (
        <Spin />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            {(
              [
                ['dash.total', s.total, null],
                ['dash.closureRate', null, s.closureRate],
                ['dash.onTimeRate', null, s.onTimeRate],
                ['dash.responseRate', null, s.responseRate],
                ['dash.resolutionRate', null, s.resolutionRate],
                ['dash.satisfactionRate', null, s.satisfactionRate],
                ['dash.openOverdue', s.openOverdue, null],
              ] as const
            ).map(([k, n, r]) => (
              <Col key={k} flex="1 1 130px">
                <Card size="small">
                  <Statistic title={t(k)} value={n ?? pct(r)} valueStyle={k === 'dash.openOverdue' && (n ?? 0) > 0 ? { color: '#cf1322' } : undefined} data-testid={`kpi-${k.slice(5)}`} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={8}>
              <Card size="small" title={t('dash.split721')}>
                <Chart
                  testId="chart-721"
                  option={{
                    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
                    legend: { bottom: 0 },
                    color: ['#1f5fbf', '#52c41a', '#fa8c16'],
                    series: [
                      {
                        type: 'pie',
                        radius: ['38%', '62%'],
                        label: { formatter: '{d}%', fontSize: 13 },
                        data: [
                          { name: t('events.levelName.grid'), value: s.split721.counts.grid },
                          { name: t('events.levelName.community'), value: s.split721.counts.community },
                          { name: t('events.levelName.street'), value: s.split721.counts.street },
                        ],
                      },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} lg={16}>
              <Card size="small" title={t('dash.trend')}>
                <Chart
                  option={{
                    tooltip: { trigger: 'axis' },
                    legend: { bottom: 0 },
                    grid: { left: 40, right: 16, top: 16, bottom: 48 },
                    xAxis: { type: 'category', data: s.trend.points.map((p) => p.period) },
                    yAxis: { type: 'value' },
                    series: [
                      { name: t('dash.reported'), type: 'line', smooth: true, data: s.trend.points.map((p) => p.reported) },
                      { name: t('dash.closed'), type: 'bar', data: s.trend.points.map((p) => p.closed), itemStyle: { color: '#52c41a' } },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('dash.byArea')}>
                <Chart
                  testId="chart-area"
                  onClick={(p) => {
                    const a = s.byArea[p.dataIndex ?? -1];
                    if (a) drill(a.code, a.name);
                  }}
                  option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 100, right: 16, top: 8, bottom: 24 },
                    xAxis: { type: 'value' },
                    yAxis: { type: 'category', data: s.byArea.map((a) => a.name), axisLabel: { width: 90, overflow: 'truncate' } },
                    series: [
                      { name: t('dash.total'), type: 'bar', stack: 'a', data: s.byArea.map((a) => a.count - a.open), itemStyle: { color: '#1f5fbf' } },
                      { name: t('dash.openOverdue'), type: 'bar', stack: 'a', data: s.byArea.map((a) => a.open), itemStyle: { color: '#fa8c16' } },
                    ],
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('dash.map')}>
                {mapOption ? (
                  <Chart
                    testId="chart-map"
                    option={mapOption as never}
                    onClick={(p) => {
                      const f = map.data?.features.find((x) => x.properties.name === p.name);
                      if (f) drill(f.properties.code, f.properties.name);
                    }}
                  />
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('dash.departments')}>
                <Table
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={s.departments}
                  columns={[
                    { title: t('events.departments'), dataIndex: 'name' },
                    { title: t('dash.whistled'), dataIndex: 'whistled', width: 64 },
                    { title: t('dash.responded'), dataIndex: 'responded', width: 64 },
                    { title: t('dash.avgHours'), dataIndex: 'averageResponseHours', width: 96, render: (v: number | null) => v ?? '—' },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card size="small" title={t('dash.overdueList')}>
                <List
                  size="small"
                  dataSource={(overdue.data ?? []).slice(0, 8)}
                  locale={{ emptyText: t('events.empty') }}
                  renderItem={(e) => (
                    <List.Item>
                      <Link to={`/events/${e.id}`}>{e.title}</Link>
                      <Flex gap={4}>
                        <Tag color={DEADLINE_COLORS.red}>{formatTime(e.dueAt)}</Tag>
                      </Flex>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
            <Col xs={24}>
              <Card size="small" title={t('dash.byCategory')}>
                <Chart
                  height={220}
                  option={{
                    tooltip: { trigger: 'axis' },
                    grid: { left: 40, right: 16, top: 16, bottom: 40 },
                    xAxis: { type: 'category', data: s.byCategory.map((c) => c.name) },
                    yAxis: { type: 'value' },
                    series: [{ type: 'bar', data: s.byCategory.map((c) => c.count), itemStyle: { color: '#1f5fbf' } }],
                  }}
                />
              </Card>
            </Col>
          </Row>
          <ServicesDashboardSection scope={scope} from={fromDate(days)} onDrill={drill} />
        </>
      )}
    </Flex>
  );
}
