import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select, Table } from 'antd';
import { useLang } from '../../app/LangContext';
import { isApiError } from '../../app/api';
import { problemsOf, wfMore } from './api';

export const VISIT_KINDS = ['household', 'business', 'follow_up', 'other'] as const;
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * Logs a visit (走访) and lists the month's visits: a grid worker's own (no workerId) or, for HR,
 * one worker's. The month's count is part of the grid score.
 */
export default function VisitLog({ workerId, month }: { workerId?: string; month: string }) {
  const { t, tc } = useLang();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const visits = useQuery({ queryKey: ['wf', 'visits', workerId ?? 'me', month], queryFn: () => wfMore.visits(month, workerId) });

  const submit = async (v: { visitedOn: string; kind: string; place: string; note?: string }) => {
    setBusy(true);
    try {
      await wfMore.logVisit({ ...(workerId ? { workerId } : {}), ...v, ...(v.note ? {} : { note: undefined }) });
      message.success(t('wf.rec.saved'));
      form.resetFields(['place', 'note']);
      void qc.invalidateQueries({ queryKey: ['wf', 'visits'] });
    } catch (e) {
      const byField = problemsOf(e);
      const fields = Object.keys(byField).filter((f) => ['visitedOn', 'kind', 'place', 'note'].includes(f));
      if (fields.length) form.setFields(fields.map((f) => ({ name: f, errors: [byField[f]] })));
      else message.error(isApiError(e) ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="wf-visit-log">
      <Form form={form} layout="inline" onFinish={(v) => void submit(v)} initialValues={{ visitedOn: today(), kind: 'household' }}>
        <Form.Item name="visitedOn" rules={[{ required: true }]}>
          <Input type="date" style={{ width: 150 }} data-testid="wf-visit-day" />
        </Form.Item>
        <Form.Item name="kind">
          <Select style={{ width: 130 }} options={VISIT_KINDS.map((k) => ({ value: k, label: tc('wfVisit', k) }))} />
        </Form.Item>
        <Form.Item name="place" rules={[{ required: true, min: 2, max: 80 }]}>
          <Input placeholder={t('wf.visit.place')} style={{ width: 200 }} data-testid="wf-visit-place" />
        </Form.Item>
        <Form.Item name="note" rules={[{ max: 500 }]}>
          <Input placeholder={t('wf.visit.note')} style={{ width: 220 }} data-testid="wf-visit-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="wf-visit-submit">
          {t('wf.visit.log')}
        </Button>
      </Form>
      <Table
        style={{ marginTop: 8 }}
        rowKey="id"
        size="small"
        pagination={{ pageSize: 10 }}
        dataSource={visits.data?.items ?? []}
        locale={{ emptyText: t('wf.visit.none') }}
        data-testid="wf-visit-list"
        columns={[
          { title: t('wf.visit.day'), dataIndex: 'visitedOn', key: 'd' },
          { title: t('wf.hr.kind'), key: 'k', render: (_, v) => tc('wfVisit', v.kind) },
          { title: t('wf.visit.place'), dataIndex: 'place', key: 'p' },
          { title: t('wf.visit.note'), dataIndex: 'note', key: 'n' },
        ]}
      />
    </div>
  );
}
