import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic, Typography } from 'antd';
import { api } from '../../app/api';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import type { MessageKey } from '../../app/i18n';
import { Chart } from '../events/Chart';
import { pct } from '../events/format';

// GET /api/services/stats (server/modules/services/measures-routes.ts).
interface Figures {
  applications: { received: number; done: number; refused: number; withdrawn: number; open: number; overdue: number; onTimeRate: number | null };
  orders: { posted: number; taken: number; completed: number; escalated: number };
  volunteerHours: number;
  points: { issued: number; spent: number };
}
interface ServiceStats extends Figures {
  byArea: (Figures & { code: string; name: string })[];
}

/**
 * The services section of the command dashboard: applications, on-time rate, help orders, volunteer
 * hours and points for the node and period the dashboard shows; clicking an area drills the whole
 * dashboard down to it. Shown to those who handle services; not below the community.
 */
export function ServicesDashboardSection({ scope, from, onDrill }: { scope: string; from: string; onDrill: (code: string, name: string) => void }) {
  const { t } = useLang();
  const { can } = useAuth();
  const enabled = can('service.handle') && !!scope && scope.length <= 12;
  const q = useQuery({
    queryKey: ['services', 'stats', scope, from],
    queryFn: () => api.get<ServiceStats>('/api/services/stats', { scope, from }),
    refetchInterval: 30_000,
    enabled,
  });
  if (!enabled || !q.data) return null;
  const s = q.data;
  const kpis: [string, MessageKey, string | number, boolean?][] = [
    ['received', 'sdash.received', s.applications.received],
    ['done', 'sdash.done', s.applications.done],
    ['refused', 'sdash.refused', s.applications.refused],
    ['open', 'sdash.open', s.applications.open],
    ['overdue', 'sdash.overdue', s.applications.overdue, s.applications.overdue > 0],
    ['onTime', 'sdash.onTime', pct(s.applications.onTimeRate)],
    ['ordersPosted', 'sdash.ordersPosted', s.orders.posted],
    ['ordersTaken', 'sdash.ordersTaken', s.orders.taken],
    ['ordersCompleted', 'sdash.ordersCompleted', s.orders.completed],
    ['hours', 'sdash.hours', s.volunteerHours],
    ['points', 'sdash.points', s.points.issued],
  ];
  const names = s.byArea.map((a) => a.name);
  const drill = (p: { dataIndex?: number }) => {
    const a = s.byArea[p.dataIndex ?? -1];
    if (a && a.code !== scope) onDrill(a.code, a.name);
  };
  return (
    <div data-testid="services-dashboard">
      <Typography.Title level={4} style={{ margin: '8px 0' }}>
        {t('sdash.title')}
      </Typography.Title>
      <Row gutter={[12, 12]}>
        {kpis.map(([id, k, v, red]) => (
          <Col key={id} flex="1 1 120px">
            <Card size="small">
              <Statistic title={t(k)} value={v} valueStyle={red ? { color: '#cf1322' } : undefined} data-testid={`skpi-${id}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sdash.byArea')}>
            <Chart
              testId="chart-services-area"
              onClick={drill}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 100, right: 16, top: 8, bottom: 48 },
                xAxis: { type: 'value' },
                yAxis: { type: 'category', data: names, axisLabel: { width: 90, overflow: 'truncate' } },
                series: [
                  { name: t('sdash.done'), type: 'bar', stack: 'a', data: s.byArea.map((a) => a.applications.done), itemStyle: { color: '#52c41a' } },
                  { name: t('sdash.refused'), type: 'bar', stack: 'a', data: s.byArea.map((a) => a.applications.refused), itemStyle: { color: '#8c8c8c' } },
                  {
                    name: t('sdash.open'),
                    type: 'bar',
                    stack: 'a',
                    data: s.byArea.map((a) => a.applications.open - a.applications.overdue),
                    itemStyle: { color: '#1f5fbf' },
                  },
                  { name: t('sdash.overdue'), type: 'bar', stack: 'a', data: s.byArea.map((a) => a.applications.overdue), itemStyle: { color: '#cf1322' } },
                ],
              }}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('sdash.ordersByArea')}>
            <Chart
              testId="chart-services-orders"
              onClick={drill}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { bottom: 0 },
                grid: { left: 40, right: 40, top: 16, bottom: 48 },
                xAxis: { type: 'category', data: names },
                yAxis: [{ type: 'value' }, { type: 'value', splitLine: { show: false } }],
                series: [
                  { name: t('sdash.ordersPosted'), type: 'bar', data: s.byArea.map((a) => a.orders.posted), itemStyle: { color: '#69b1ff' } },
                  { name: t('sdash.ordersTaken'), type: 'bar', data: s.byArea.map((a) => a.orders.taken), itemStyle: { color: '#1f5fbf' } },
                  { name: t('sdash.ordersCompleted'), type: 'bar', data: s.byArea.map((a) => a.orders.completed), itemStyle: { color: '#52c41a' } },
                  { name: t('sdash.hours'), type: 'bar', data: s.byArea.map((a) => a.volunteerHours), itemStyle: { color: '#fa8c16' } },
                  { name: t('sdash.points'), type: 'bar', yAxisIndex: 1, data: s.byArea.map((a) => a.points.issued), itemStyle: { color: '#722ed1' } },
                ],
              }}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
