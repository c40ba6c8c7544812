import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Progress, Table, Tooltip, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { homeCode, wfMore, type GridScoreRow } from './api';
import VisitLog from './VisitForm';
import { wfExports } from './exports';

const PARTS = ['report', 'visit', 'on_time', 'satisfaction'] as const;

/**
 * Grid workers' monthly score (W7) with its parts — events reported, visits (走访), closed on
 * time, residents' satisfaction — recomputed from the events and the visit log; a row opens the
 * worker's visits of the month, where HR may log one for them.
 */
export default function GridScorePage() {
  const { t, tc } = useLang();
  const { session } = useAuth();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const district = homeCode(session?.roles ?? []).slice(0, 6);
  const [month, setMonth] = useState(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7));
  const scores = useQuery({
    queryKey: ['wf', 'gridscores', district, month],
    queryFn: () => wfMore.gridScores(district, month),
    enabled: !!district,
  });
  const recompute = async () => {
    try {
      await wfMore.computeGridScores(district, month);
      void qc.invalidateQueries({ queryKey: ['wf', 'gridscores'] });
    } catch (e) {
      message.error(isApiError(e) ? e.message : String(e));
    }
  };
  const part = (r: GridScoreRow, code: string) => r.parts.find((p) => p.code === code);
  return (
    <Card
      size="small"
      title={t('wf.grid.title')}
      data-testid="wf-grid-scores"
      extra={
        <Flex gap={8}>
          <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 150 }} />
          <Button type="primary" icon={<ReloadOutlined />} onClick={() => void recompute()} data-testid="wf-grid-compute">
            {t('wf.grid.compute')}
          </Button>
          <Button icon={<DownloadOutlined />} onClick={() => void wfExports.gridScores(district, month)} data-testid="wf-grid-export">
            {t('wf.exportXlsx')}
          </Button>
        </Flex>
      }
    >
      <Typography.Paragraph type="secondary">{t('wf.grid.formula')}</Typography.Paragraph>
      <Table
        rowKey="workerId"
        size="small"
        pagination={{ pageSize: 15 }}
        dataSource={scores.data ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('wf.grid.empty') }}
        expandable={{ expandedRowRender: (r) => <VisitLog workerId={r.workerId} month={month} /> }}
        columns={[
          { title: t('wf.name'), dataIndex: 'name', key: 'n' },
          { title: t('wf.community'), dataIndex: 'communityName', key: 'c' },
          {
            title: t('wf.grid.score'),
            key: 's',
            sorter: (a, b) => a.score - b.score,
            render: (_, r) => (
              <Flex gap={8} align="center" style={{ width: 150 }} data-testid={`wf-grid-score-${r.name}`}>
                <Progress percent={r.score} size="small" showInfo={false} style={{ width: 80, margin: 0 }} />
                <b>{r.score}</b>
              </Flex>
            ),
          },
          ...PARTS.map((code) => ({
            title: tc('wfGridPart', code),
            key: code,
            render: (_: unknown, r: GridScoreRow) => {
              const p = part(r, code);
              return p ? (
                <Tooltip title={p.explain}>
                  <div>
                    <b>{p.points}</b> / {p.max}
                    <div style={{ fontSize: 12, color: '#888', maxWidth: 200, whiteSpace: 'normal' }}>{p.explain}</div>
                  </div>
                </Tooltip>
              ) : (
                '—'
              );
            },
          })),
        ]}
      />
    </Card>
  );
}
