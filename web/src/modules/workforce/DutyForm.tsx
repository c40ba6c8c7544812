import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Input, Select, Tag } from 'antd';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { wfApi, wfMore } from './api';

/**
 * Puts one worker on duty for a day (a swap, extra cover). The server refuses anyone not yet
 * onboarded (TRAINING_REQUIRED); the refusal and its reason stay on the page, not in a toast.
 */
export default function DutyForm({ community, month }: { community: string; month: string }) {
  const { t, tc } = useLang();
  const qc = useQueryClient();
  const workers = useQuery({
    queryKey: ['wf', 'workers', { territoryCode: community }],
    queryFn: () => wfApi.workers({ territoryCode: community }),
    enabled: community.length === 12,
  });
  const [workerId, setWorkerId] = useState<string | undefined>();
  const [day, setDay] = useState(`${month}-01`);
  const [result, setResult] = useState<{ ok: boolean; text: string; detail?: string } | null>(null);
  const worker = workers.data?.find((w) => w.id === workerId);

  const assign = async () => {
    if (!workerId) return;
    try {
      const r = await wfMore.assignDuty({ workerId, day });
      setResult({ ok: true, text: t('wf.duty.done', { name: worker?.name ?? '', day: r.day, shift: tc('wf.shift', r.shift) }) });
      void qc.invalidateQueries({ queryKey: ['wf', 'rota'] });
    } catch (e) {
      if (!isApiError(e)) return setResult({ ok: false, text: String(e) });
      const onboardedOn = (e.details as { onboardedOn?: string | null } | undefined)?.onboardedOn;
      const detail =
        e.code === 'TRAINING_REQUIRED'
          ? onboardedOn
            ? t('wf.duty.onboardedLater', { name: worker?.name ?? '', date: onboardedOn })
            : t('wf.duty.neverOnboarded', { name: worker?.name ?? '' })
          : undefined;
      setResult({ ok: false, text: e.message, detail });
    }
  };

  return (
    <div style={{ marginTop: 12 }} data-testid="wf-duty-form">
      <Flex gap={8} wrap align="center">
        <span>{t('wf.duty.title')}</span>
        <Select
          showSearch
          optionFilterProp="name"
          placeholder={t('wf.pay.worker')}
          style={{ width: 220 }}
          value={workerId}
          onChange={(v) => {
            setWorkerId(v);
            setResult(null);
          }}
          options={(workers.data ?? []).map((w) => ({ value: w.id, name: w.name, label: w.name, onboarded: w.onboardedOn !== null }))}
          optionRender={(o) => (
            <span>
              {o.data.name} {!o.data.onboarded && <Tag color="warning">{t('wf.tr.notOnboarded')}</Tag>}
            </span>
          )}
          data-testid="wf-duty-worker"
        />
        <Input type="date" value={day} onChange={(e) => setDay(e.target.value)} style={{ width: 160 }} data-testid="wf-duty-day" />
        <Button onClick={() => void assign()} disabled={!workerId || !day} data-testid="wf-duty-assign">
          {t('wf.duty.assign')}
        </Button>
      </Flex>
      {result && (
        <Alert
          style={{ marginTop: 8 }}
          type={result.ok ? 'success' : 'error'}
          showIcon
          title={result.text}
          description={result.detail}
          data-testid="wf-duty-result"
        />
      )}
    </div>
  );
}
