import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Tag } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useAuth } from '../../app/auth';
import { useLang } from '../../app/LangContext';
import { homeCode, wfApi } from './api';
import DutyForm from './DutyForm';
import { wfExports } from './exports';

const SHIFT_COLOR: Record<string, string> = { late: 'blue', weekend: 'orange', holiday: 'red' };

/** A month calendar of the community's duties; the community is the user's own (or typed). */
export default function RotaPage() {
  const { t, tc } = useLang();
  const { session, can } = useAuth();
  const { message } = App.useApp();
  const home = homeCode(session?.roles ?? []);
  const [community, setCommunity] = useState(home.length === 12 ? home : '330212014027');
  const [month, setMonth] = useState(new Date().toISOString().slice(0, 7));
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['wf', 'rota', community, month],
    queryFn: () => wfApi.rota(community, month),
    enabled: community.length === 12,
  });
  const first = new Date(`${month}-01T00:00:00Z`);
  const lead = (first.getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  const byDay = new Map((q.data?.duties ?? []).map((d) => [d.day, d]));
  const cells = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`)];
  return (
    <Card
      size="small"
      title={`${t('wf.rota.title')} · ${q.data?.communityName ?? ''}`}
      extra={
        <Flex gap={8} wrap>
          <Input value={community} onChange={(e) => setCommunity(e.target.value.trim())} style={{ width: 150 }} />
          <Input type="month" value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 140 }} />
          {can('workforce.manage') && (
            <Button
              type="primary"
              onClick={() =>
                void wfApi.generateRota(community, month).then((r) => {
                  if (r.excluded.length) message.warning(t('wf.rota.excluded', { n: r.excluded.length }));
                  void qc.invalidateQueries({ queryKey: ['wf', 'rota'] });
                })
              }
            >
              {t('wf.rota.generate')}
            </Button>
          )}
          <Button
            icon={<DownloadOutlined />}
            disabled={community.length !== 12}
            onClick={() => void wfExports.rota(community, month)}
            data-testid="wf-rota-export"
          >
            {t('wf.exportXlsx')}
          </Button>
        </Flex>
      }
    >
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 4 }} data-testid="wf-rota">
        {['一', '二', '三', '四', '五', '六', '日'].map((d) => (
          <div key={d} style={{ textAlign: 'center', color: '#888', fontSize: 12 }}>
            {d}
          </div>
        ))}
        {cells.map((day, i) => {
          const duty = day ? byDay.get(day) : undefined;
          return (
            <div
              key={i}
              style={{
                minHeight: 56,
                border: day ? '1px solid #eee' : 'none',
                borderRadius: 4,
                padding: 4,
                fontSize: 12,
                background: duty?.shift === 'holiday' ? '#fff1f0' : duty?.shift === 'weekend' ? '#fff7e6' : undefined,
              }}
            >
              {day && <div style={{ color: '#999' }}>{Number(day.slice(8))}</div>}
              {duty && (
                <>
                  <div style={{ fontWeight: 600, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{duty.name}</div>
                  <Tag color={SHIFT_COLOR[duty.shift]} style={{ fontSize: 10, marginInlineEnd: 0 }}>
                    {tc('wf.shift', duty.shift)}
                  </Tag>
                </>
              )}
            </div>
          );
        })}
      </div>
      {can('workforce.manage') && <DutyForm community={community} month={month} />}
    </Card>
  );
}
